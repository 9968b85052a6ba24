"""The notice → workspace importer: the county's notice (Word, web page, Excel, PDF, text) read
into a format-neutral grid, its columns recognised by their headers, each time cell split into
dated milestones, quantities made indicators, and the workspace written and checked."""
