// Printable documents as PDF, made on the operator's machine: the
// dispatcher renders a document as HTML (the post-incident review, the
// yearly statistics, the 台账 and summaries) and `anding … --format pdf
// --out FILE` prints that HTML with headless Chromium, as a person would
// print it from the browser. The dispatcher never starts a browser.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

#include "anding/common/status.h"

namespace anding::cli {

struct PdfPrinterOptions {
  // The browser: empty = $ANDING_CHROMIUM, else the first of chromium,
  // chromium-browser, google-chrome on PATH.
  std::string browser;
  // A browser that has not finished by then is killed and the print fails.
  std::chrono::seconds timeout{60};
};

// Prints `html` (a self-contained document: no remote resources are
// fetched, the browser's network is switched off) to `pdf`, replacing it
// only when the print succeeded. Errors name the browser and what it said.
Status PrintHtmlToPdf(std::string_view html, const std::filesystem::path& pdf,
                      const PdfPrinterOptions& options = {});

}  // namespace anding::cli
