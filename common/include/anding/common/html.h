// Text put into the HTML documents Anding renders (the 台账 and its
// summaries, the post-incident review, the statistics): one escaping rule
// for all of them, safe in element text and in quoted attribute values.
#pragma once

#include <string>
#include <string_view>

namespace anding {

// `text` with & < > " ' replaced by their character references.
[[nodiscard]] std::string HtmlEscape(std::string_view text);

}  // namespace anding
