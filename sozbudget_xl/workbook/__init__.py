"""The spreadsheet contract: which sheets and tables of a workbook hold the inputs and outputs
of each budget model (:mod:`.schema`), the example/empty workbook builder (:mod:`.vorlage`)
and safe reading/writing of workbook files (:mod:`.io`)."""
