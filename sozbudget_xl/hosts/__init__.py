"""Spreadsheet hosts besides classic Excel: the host-neutral catalogue of the ``SRB_…``
worksheet functions (:mod:`.funktionen`), the LibreOffice Calc extension (:mod:`.libreoffice`
builds it, :mod:`.libreoffice_uno` is its UNO component, :mod:`.calc_mappe` runs the menu
commands on a Calc document), the xlwings Lite adapter (:mod:`.xlwings_lite`) and the macro
workbook for classic Excel (:mod:`.makromappe`, with the VBA project writer :mod:`.vba`).

Every host takes its functions, German argument names and help texts from the same
catalogue, which is generated from the model registry and the declarations; no host has
hand-written code per model. The macros of every host run the same orchestration
(:func:`sozbudget_xl.excel.neu_berechnen_in_mappe` and friends →
:func:`sozbudget_xl.workbook.schema.berechne_mappendaten`).
"""
