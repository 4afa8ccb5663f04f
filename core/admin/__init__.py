"""The Wagtail back-office for the register: model admins, generated forms, views.

Kept in one package (plus `core/wagtail_hooks.py`) so that moving from
wagtail-modeladmin to Wagtail's own viewsets later means rewriting this package only.
Deliberately empty: Django's admin autodiscovery imports `core.admin` early.
"""
