"""CSV and Excel, in and out (klantreis gemeente 7.5, 7.7; leverancier 4.5; #16).

Out: a landscape, its koppelingen or a supplier's offer as CSV (UTF-8 with BOM, comma or
semicolon; one sheet per file, `blad=`) or Excel (one sheet per kind of object), through
`BundleExporter`s. In: an edited export or the filled template updates and extends a
landscape's gebruik (sheet Applicaties) and its own koppelingen (sheet Koppelingen, or the
koppelingen CSV), after a dry run.

The column layout lives in one place (`columns`), so the export, the template and the
import agree on every header."""
