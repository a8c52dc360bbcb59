#include "anding/common/shared_string.h"

#include <utility>

namespace anding {

SharedString::SharedString(std::string text) {
  if (!text.empty()) text_ = std::make_shared<const std::string>(std::move(text));
}

const std::string& SharedString::Empty() {
  static const std::string empty;
  return empty;
}

SharedString StringInterner::Intern(std::string_view text) {
  if (auto it = held_.find(text); it != held_.end()) return *it;
  return *held_.emplace(text).first;
}

}  // namespace anding
