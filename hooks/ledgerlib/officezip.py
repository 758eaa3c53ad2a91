"""The deflate level of the office files we write (.xlsx by export_xlsx,
.docx by export_docx): one setting for both, in a module of its own so that
neither writer imports the other."""

# Deflate level of the .xlsx and .docx downloads. At 2,000 problems the
# default (6) spent a third of the Word files' time and a quarter of the
# workbook's compressing; level 1 is three times faster for files about 1.6×
# as large (1.6 MB instead of 0.9 MB for the workbook), which an intranet
# download does not notice. Word, WPS and LibreOffice read any level.
ZIP_LEVEL = 1
