"""Unknown query parameters are a 400 on every API endpoint, never silently ignored."""

from core.register.query import QueryError

ANY = None  # the view parses its own parameters (the lists)


class StrictQueryMixin:
    """`allowed_query` maps a method to the keys it accepts (default: none)."""

    allowed_query: dict[str, frozenset | None] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = self.allowed_query.get(request.method.lower(), frozenset())
        if allowed is ANY:
            return
        unknown = sorted(set(request.query_params) - set(allowed))
        if unknown:
            raise QueryError([(key, "Onbekende parameter.") for key in unknown])
