"""Controlling and year-end in the workbook (issue 16).

* :mod:`.ist` — the sheet „Ist“ (actual spending by month) and its CSV import;
* :mod:`.sollist` — Soll/Ist to date from the payment plan, year-end forecast, caps (core);
* :mod:`.abschluss` — Jahresabschluss per model: reserves, Präventionsfonds, Verbund reserve (core);
* :mod:`.blaetter` — the output sheets „Soll-Ist“, „Soll-Ist Verlauf“, „Jahresabschluss“ for recalc;
* :mod:`.vorlage` — the sheets and charts of new workbooks, example Ist data;
* :mod:`.jahreswechsel` — next year's workbook (``sozbudget jahreswechsel``);
* :mod:`.verlauf` — the multi-year summary (``sozbudget verlauf``);
* :mod:`.befehle` — the CLI commands.
"""
