"""The contract annex templates (``vertragsanlage.docx``, ``vertragsanlage.html.j2``, ``abschnitte/``).

This folder is installed as the package ``sozbudget_xl.vorlagen`` (see ``pyproject.toml``), so the
templates ship in the wheel and :mod:`sozbudget_xl.annex` finds them with ``importlib.resources``.
``erzeuge_docx_vorlage.py`` is the build script of the DOCX template, not used at run time.
"""
