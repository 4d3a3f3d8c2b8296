// UTF-8 and Unicode character properties, as HuggingFace tokenizers (Rust) sees them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace servebench::tokenizer {

// Decodes the code point starting at s[i] of valid UTF-8; stores its byte length in *len.
char32_t DecodeUtf8(std::string_view s, size_t i, size_t* len);
// Byte length of the UTF-8 sequence that starts with lead byte `b` (1 for a stray byte).
inline size_t Utf8Length(unsigned char b) {
  return b < 0x80 ? 1 : b < 0xE0 ? (b < 0xC0 ? 1 : 2) : b < 0xF0 ? 3 : 4;
}
void AppendUtf8(std::string& out, char32_t c);

bool IsValidUtf8(std::string_view bytes);
// Rust's String::from_utf8_lossy: each maximal invalid subpart becomes one U+FFFD.
std::string Utf8Lossy(std::string_view bytes);

// Rust char::is_whitespace (the Unicode White_Space property).
bool IsWhitespace(char32_t c);
bool IsAlphanumeric(char32_t c);      // categories L* and N* (Rust char::is_alphanumeric)
bool IsPunctuation(char32_t c);       // categories P*
bool IsAsciiPunctuation(char32_t c);  // !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~
bool IsMark(char32_t c);              // categories Mn, Mc, Me
bool IsNonspacingMark(char32_t c);    // category Mn
bool IsOther(char32_t c);             // categories C* (control, format, unassigned, ...)
bool IsSpaceSeparator(char32_t c);    // category Zs
bool IsDigit(char32_t c);             // Rust char::is_numeric: categories Nd, Nl, No
bool IsChineseChar(char32_t c);       // the CJK blocks BERT isolates

// Full lowercase mapping of one code point, appended to out (U+0130 maps to two code points).
void AppendLowercase(std::string& out, char32_t c);

}  // namespace servebench::tokenizer
