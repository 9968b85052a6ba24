"""One reader per format, each turning a file's bytes into a ``Notice``; heavy libraries
(python-docx, openpyxl, pdfplumber, an HTML parser) are imported only by their own reader."""
