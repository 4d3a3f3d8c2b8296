#include "tokenizer/byte_level.h"

#include <array>

#include "tokenizer/unicode.h"

namespace servebench::tokenizer {

namespace {

struct Alphabet {
  std::array<char32_t, 256> byte_to_char;
  std::array<std::string, 256> byte_to_utf8;
  std::array<uint8_t, 68> shifted_to_byte;  // for the characters 256..323
  Alphabet() {
    auto printable = [](int b) {
      return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    };
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      byte_to_char[b] = printable(b) ? static_cast<char32_t>(b) : next++;
      AppendUtf8(byte_to_utf8[b], byte_to_char[b]);
      if (byte_to_char[b] >= 256) shifted_to_byte[byte_to_char[b] - 256] = static_cast<uint8_t>(b);
    }
  }
};

const Alphabet& TheAlphabet() {
  static const Alphabet alphabet;
  return alphabet;
}

}  // namespace

char32_t ByteToChar(uint8_t b) {
  return TheAlphabet().byte_to_char[b];
}

int CharToByte(char32_t c) {
  if (c < 256) {
    bool printable = (c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE);
    return printable ? static_cast<int>(c) : -1;
  }
  if (c >= 256 + 68) return -1;
  return TheAlphabet().shifted_to_byte[c - 256];
}

void AppendByteLevel(std::string& out, std::string_view bytes) {
  const Alphabet& a = TheAlphabet();
  for (char ch : bytes)
    out += a.byte_to_utf8[static_cast<uint8_t>(ch)];
}

bool ByteLevelToBytes(std::string_view s, std::string& out) {
  size_t i = 0;
  while (i < s.size()) {
    size_t len;
    char32_t c = DecodeUtf8(s, i, &len);
    int b = CharToByte(c);
    if (b < 0) return false;
    out.push_back(static_cast<char>(b));
    i += len;
  }
  return true;
}

}  // namespace servebench::tokenizer
