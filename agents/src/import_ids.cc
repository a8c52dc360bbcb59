#include "anding/agent/import_ids.h"

#include <sodium.h>

#include <array>
#include <cstdio>

namespace anding::agent {

std::string Sha256(std::string_view content) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(content.data()),
                     content.size());
  return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string ImportMessageId(std::string_view file_digest, uint64_t line_number,
                            std::string_view line) {
  std::string input(file_digest);
  for (int shift = 56; shift >= 0; shift -= 8) {
    input.push_back(static_cast<char>((line_number >> shift) & 0xFF));
  }
  input.append(line);
  std::string bytes = Sha256(input).substr(0, 16);
  bytes[6] = static_cast<char>((static_cast<unsigned char>(bytes[6]) & 0x0F) | 0x80);  // v8
  bytes[8] = static_cast<char>((static_cast<unsigned char>(bytes[8]) & 0x3F) | 0x80);  // RFC
  std::string text;
  text.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(bytes[i]));
    text += hex;
  }
  return text;
}

}  // namespace anding::agent
