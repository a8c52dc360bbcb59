// SharedString: an immutable text that copies share, for texts that repeat
// across many records (a deadline rule's description in every response it
// covers): held once instead of once per record. It compares, orders and
// converts like the text it holds; whether two values share storage is
// invisible except through SharesWith.
//
// StringInterner hands out one SharedString per distinct text, so records
// built or loaded through the same interner share their texts.
//
// Thread-safety: a SharedString is an immutable value; copies may be used
// and destroyed on different threads (the count is atomic). An
// StringInterner is not thread-safe: one owner thread.
#pragma once

#include <compare>
#include <memory>
#include <set>
#include <string>
#include <string_view>

namespace anding {

class SharedString {
 public:
  SharedString() = default;
  // A new, unshared copy of `text` (empty text holds nothing).
  SharedString(std::string text);  // NOLINT(google-explicit-constructor): a string value
  SharedString(std::string_view text) : SharedString(std::string(text)) {}  // NOLINT
  SharedString(const char* text) : SharedString(std::string(text)) {}       // NOLINT

  [[nodiscard]] const std::string& str() const { return text_ ? *text_ : Empty(); }
  operator const std::string&() const { return str(); }  // NOLINT: reads as the text
  operator std::string_view() const { return str(); }    // NOLINT
  [[nodiscard]] bool empty() const { return str().empty(); }
  [[nodiscard]] size_t size() const { return str().size(); }
  // True if both hold the same storage (not merely equal text).
  [[nodiscard]] bool SharesWith(const SharedString& other) const { return text_ == other.text_; }

  friend bool operator==(const SharedString& a, const SharedString& b) {
    return a.text_ == b.text_ || a.str() == b.str();
  }
  friend bool operator==(const SharedString& a, std::string_view b) { return a.str() == b; }
  friend bool operator==(const SharedString& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const SharedString& a, const char* b) { return a.str() == b; }
  friend std::strong_ordering operator<=>(const SharedString& a, const SharedString& b) {
    return a.str().compare(b.str()) <=> 0;
  }
  friend std::strong_ordering operator<=>(const SharedString& a, std::string_view b) {
    return std::string_view(a.str()).compare(b) <=> 0;
  }

 private:
  static const std::string& Empty();
  std::shared_ptr<const std::string> text_;
};

class StringInterner {
 public:
  // The held text equal to `text`, held from now on if it is new. Texts are
  // never dropped: intern only texts from a small set (configuration).
  [[nodiscard]] SharedString Intern(std::string_view text);
  // Number of distinct texts held.
  [[nodiscard]] size_t size() const { return held_.size(); }

 private:
  std::set<SharedString, std::less<>> held_;
};

}  // namespace anding
