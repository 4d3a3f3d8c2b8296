// GPT-2's byte-level alphabet: each of the 256 byte values stands as one printable character, so
// any byte string is a string of "characters" a BPE vocabulary can cover.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace servebench::tokenizer {

char32_t ByteToChar(uint8_t b);
// The byte that `c` stands for, or -1 when `c` is not in the alphabet.
int CharToByte(char32_t c);
// Appends the byte-level spelling of `bytes` to out.
void AppendByteLevel(std::string& out, std::string_view bytes);
// Appends the bytes a byte-level string stands for; false (out unspecified) when a character of
// `s` is outside the alphabet.
bool ByteLevelToBytes(std::string_view s, std::string& out);

}  // namespace servebench::tokenizer
