// Vite's import suffixes (`?url` for the pdf.js worker bundled as a file).
/// <reference types="vite/client" />
