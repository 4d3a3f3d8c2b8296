// `servebench tokenize`: encodes a text (or decodes ids) with a tokenizer, as the client and the
// datasets will see it. With `-` the input is stdin byte for byte (no newline stripped).
#include <cstdio>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "app/commands.h"
#include "tokenizer/tokenizer.h"

namespace servebench::app {
namespace {

struct TokenizeFlags {
  std::string tokenizer;
  std::string input;
  bool add_special_tokens = false;
  bool ids_only = false;
  bool decode = false;
  bool skip_special_tokens = false;
};

std::string ReadInput(const std::string& input) {
  if (input != "-") return input;
  return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
}

// Token text shown between quotes, with control characters and quotes escaped.
std::string Quote(std::string_view token) {
  std::string out = "\"";
  for (char c : token) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (u < 0x20 || u == 0x7F) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

Expected<std::vector<int32_t>> ParseIds(std::string_view text) {
  std::vector<int32_t> ids;
  size_t i = 0, index = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == ',' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r' ||
        text[i] == '[' || text[i] == ']') {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && text[end] >= '0' && text[end] <= '9')
      ++end;
    if (end == i || end - i > 10 || std::stoll(std::string(text.substr(i, end - i))) > INT32_MAX) {
      size_t stop = text.find_first_of(" ,\n\t\r[]", i);
      return MakeError(
          "--decode: id #{} \"{}\" is not a token id (expected a non-negative integer)", index + 1,
          text.substr(i, stop == std::string_view::npos ? stop : stop - i));
    }
    ids.push_back(static_cast<int32_t>(std::stoll(std::string(text.substr(i, end - i)))));
    ++index;
    i = end;
  }
  return ids;
}

int Run(const TokenizeFlags& f) {
  auto tokenizer = tokenizer::LoadTokenizer(f.tokenizer);
  if (!tokenizer) {
    std::fprintf(stderr, "tokenize: --tokenizer: %s\n", tokenizer.error().message.c_str());
    return 1;
  }
  std::string input = ReadInput(f.input);
  std::string out;
  if (f.decode) {
    auto ids = ParseIds(input);
    if (!ids) {
      std::fprintf(stderr, "tokenize: %s\n", ids.error().message.c_str());
      return 2;
    }
    out = (*tokenizer)->Decode(*ids, f.skip_special_tokens);
  } else {
    std::vector<int32_t> ids = (*tokenizer)->Encode(input, f.add_special_tokens);
    if (f.ids_only) {
      for (size_t i = 0; i < ids.size(); ++i)
        out += fmt::format("{}{}", i ? " " : "", ids[i]);
      out += '\n';
    } else {
      out = fmt::format("{} tokens\n", ids.size());
      for (int32_t id : ids) {
        out += fmt::format("{}\t{}\n", id, Quote((*tokenizer)->IdToToken(id).value_or("")));
      }
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

void AddTokenizeCommand(CLI::App& app, CommandRunner& runner) {
  auto flags = std::make_shared<TokenizeFlags>();
  CLI::App* cmd = app.add_subcommand(
      "tokenize", "Encode a text with a tokenizer (or decode ids), as HuggingFace would");
  cmd->add_option("--tokenizer", flags->tokenizer,
                  "tokenizer.json or .model file, model directory, or HuggingFace hub id")
      ->required();
  cmd->add_option("input", flags->input, "The text, or - to read stdin byte for byte")->required();
  cmd->add_flag("--add-special-tokens", flags->add_special_tokens,
                "Add the tokenizer's special tokens (e.g. BOS), as add_special_tokens=True");
  auto* ids = cmd->add_flag("--ids", flags->ids_only, "Print only the ids, on one line");
  auto* decode = cmd->add_flag("--decode", flags->decode,
                               "The input is token ids (separated by spaces or commas): print "
                               "their text");
  decode->excludes(ids);
  cmd->add_flag("--skip-special-tokens", flags->skip_special_tokens,
                "With --decode, leave special tokens out")
      ->needs(decode);
  cmd->callback([flags, &runner] { runner = [flags] { return Run(*flags); }; });
}

}  // namespace servebench::app
