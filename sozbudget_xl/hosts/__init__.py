"""Spreadsheet hosts besides classic Excel: the host-neutral catalogue of the ``SRB_…``
worksheet functions (:mod:`.funktionen`), the LibreOffice Calc extension
(:mod:`.libreoffice`, :mod:`.libreoffice_uno`) and the xlwings Lite adapter
(:mod:`.xlwings_lite`).

Every host takes its functions, German argument names and help texts from the same
catalogue, which is generated from the model registry and the declarations; no host has
hand-written code per model.
"""
