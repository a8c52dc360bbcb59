#include "anding/core/notify/sms_text.h"

#include <vector>

namespace anding::core::notify {
namespace {

// The GSM 03.38 default alphabet (one septet each).
constexpr char32_t kGsmBasic[] = {
    U'@',  U'£', U'$', U'¥', U'è', U'é', U'ù', U'ì', U'ò', U'Ç', U'\n', U'Ø', U'ø',
    U'\r', U'Å', U'å', U'Δ', U'_', U'Φ', U'Γ', U'Λ', U'Ω', U'Π', U'Ψ',  U'Σ', U'Θ',
    U'Ξ',  U'Æ', U'æ', U'ß', U'É', U' ', U'!', U'"', U'#', U'¤', U'%',  U'&', U'\'',
    U'(',  U')', U'*', U'+', U',', U'-', U'.', U'/', U':', U';', U'<',  U'=', U'>',
    U'?',  U'¡', U'Ä', U'Ö', U'Ñ', U'Ü', U'§', U'¿', U'ä', U'ö', U'ñ',  U'ü', U'à'};
// The extension table (escape + one septet: two each).
constexpr char32_t kGsmExtension[] = {U'\f', U'^', U'{', U'}', U'\\', U'[', U'~', U']', U'|', U'€'};

bool InTable(char32_t c, const char32_t* begin, const char32_t* end) {
  for (const char32_t* it = begin; it != end; ++it) {
    if (*it == c) return true;
  }
  return false;
}

bool IsGsmBasic(char32_t c) {
  if ((c >= U'0' && c <= U'9') || (c >= U'A' && c <= U'Z') || (c >= U'a' && c <= U'z')) {
    return true;
  }
  return InTable(c, std::begin(kGsmBasic), std::end(kGsmBasic));
}

bool IsGsmExtension(char32_t c) {
  return InTable(c, std::begin(kGsmExtension), std::end(kGsmExtension));
}

struct CodePoint {
  char32_t value;
  size_t offset;  // first byte in the UTF-8 text
  size_t size;    // bytes
};

// Decodes UTF-8; an invalid or truncated sequence is one U+FFFD per byte.
std::vector<CodePoint> Decode(std::string_view text) {
  std::vector<CodePoint> out;
  size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    size_t size = 0;
    char32_t value = 0;
    if (b0 < 0x80) {
      size = 1;
      value = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      size = 2;
      value = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      size = 3;
      value = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      size = 4;
      value = b0 & 0x07;
    }
    bool valid = size != 0 && i + size <= text.size();
    for (size_t k = 1; valid && k < size; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      if ((b & 0xC0) != 0x80) {
        valid = false;
      } else {
        value = (value << 6) | (b & 0x3F);
      }
    }
    if (valid && ((size == 2 && value < 0x80) || (size == 3 && value < 0x800) ||
                  (size == 4 && (value < 0x10000 || value > 0x10FFFF)) ||
                  (value >= 0xD800 && value <= 0xDFFF))) {
      valid = false;
    }
    if (!valid) {
      out.push_back({U'\uFFFD', i, 1});
      ++i;
      continue;
    }
    out.push_back({value, i, size});
    i += size;
  }
  return out;
}

uint32_t UnitsOf(char32_t c, SmsEncoding encoding) {
  if (encoding == SmsEncoding::kGsm7) return IsGsmExtension(c) ? 2 : 1;
  return c > 0xFFFF ? 2 : 1;
}

bool AllGsm(const std::vector<CodePoint>& points) {
  for (const auto& point : points) {
    if (!IsGsmBasic(point.value) && !IsGsmExtension(point.value)) return false;
  }
  return true;
}

}  // namespace

std::string_view SmsEncodingName(SmsEncoding encoding) {
  return encoding == SmsEncoding::kGsm7 ? "gsm7" : "ucs2";
}

bool IsGsm7(std::string_view utf8) { return AllGsm(Decode(utf8)); }

SmsLength CountSms(std::string_view utf8) {
  const std::vector<CodePoint> points = Decode(utf8);
  SmsLength length;
  length.encoding = AllGsm(points) ? SmsEncoding::kGsm7 : SmsEncoding::kUcs2;
  const bool gsm = length.encoding == SmsEncoding::kGsm7;
  const uint32_t single = gsm ? 160 : 70;
  const uint32_t per_part = gsm ? 153 : 67;
  length.characters = static_cast<uint32_t>(points.size());
  for (const auto& point : points) length.units += UnitsOf(point.value, length.encoding);
  if (length.units == 0) {
    length.units_per_part = single;
    return length;
  }
  if (length.units <= single) {
    length.parts = 1;
    length.units_per_part = single;
    return length;
  }
  length.units_per_part = per_part;
  uint32_t used = 0;
  length.parts = 1;
  for (const auto& point : points) {
    const uint32_t units = UnitsOf(point.value, length.encoding);
    if (used + units > per_part) {
      ++length.parts;
      used = 0;
    }
    used += units;
  }
  return length;
}

std::string FitSms(std::string_view utf8, uint32_t max_parts) {
  if (max_parts == 0) return "";
  if (CountSms(utf8).parts <= max_parts) return std::string(utf8);
  // Cut at the last character boundary where the text plus "…" fits. The
  // ellipsis is UCS-2, so the cut text is counted as UCS-2 too.
  const std::vector<CodePoint> points = Decode(utf8);
  size_t low = 0;
  size_t high = points.size();
  while (low < high) {
    const size_t mid = (low + high + 1) / 2;
    const std::string candidate =
        std::string(utf8.substr(0, points[mid - 1].offset + points[mid - 1].size)) + "…";
    if (CountSms(candidate).parts <= max_parts) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  if (low == 0) return "…";
  return std::string(utf8.substr(0, points[low - 1].offset + points[low - 1].size)) + "…";
}

}  // namespace anding::core::notify
