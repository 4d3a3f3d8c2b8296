#include "dataset/mmmu_dataset.h"

#include <filesystem>
#include <fstream>

#include <simdjson.h>

#include "common/base64.h"
#include "dataset/image_dataset.h"
#include "dataset/image_synth.h"
#include "load/random_stream.h"

namespace servebench::dataset {

namespace {

namespace fs = std::filesystem;

struct Example {
  size_t line = 0;
  std::string question;
  std::string image;  // as given: base64, data URI or path
};

Expected<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError("cannot read {}", path.string());
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

Expected<Example> ParseLine(simdjson::dom::parser& parser, std::string_view line) {
  simdjson::dom::element doc;
  if (auto error = parser.parse(line).get(doc); error) {
    return MakeError("expected a JSON object ({})", simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (doc.get(object) != simdjson::SUCCESS) return MakeError("expected a JSON object");
  Example e;
  std::string_view text;
  if (object["question"].get(text) != simdjson::SUCCESS) {
    return MakeError("field question: expected a string");
  }
  e.question = text;
  simdjson::dom::element image;
  if (object["image_1"].get(image) != simdjson::SUCCESS) return MakeError("field image_1: missing");
  if (image.get(text) != simdjson::SUCCESS && image["bytes"].get(text) != simdjson::SUCCESS) {
    return MakeError(
        "field image_1: expected a string (base64, a data URI or a file path) or {{\"bytes\": "
        "base64}}");
  }
  e.image = text;
  return e;
}

// The image's encoded bytes from a data URI, a file path, or bare base64.
Expected<std::string> ImageBytes(const std::string& image, const fs::path& dir) {
  std::string_view v = image;
  if (v.starts_with("data:")) {
    size_t comma = v.find(',');
    if (comma == std::string_view::npos || v.substr(0, comma).find(";base64") == v.npos) {
      return MakeError("field image_1: expected a base64 data URI (data:<type>;base64,...)");
    }
    return Base64Decode(v.substr(comma + 1));
  }
  fs::path path = fs::path(image).is_absolute() ? fs::path(image) : dir / image;
  std::error_code ec;
  if (image.size() < 4096 && fs::is_regular_file(path, ec)) return ReadFile(path);
  auto bytes = Base64Decode(v);
  if (!bytes) {
    return MakeError("field image_1: expected base64, a data URI or an existing file path ({})",
                     bytes.error().message);
  }
  return bytes;
}

bool IsParquet(const std::string& path) {
  if (path.ends_with(".parquet")) return true;
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && std::string_view(magic, 4) == "PAR1";
}

}  // namespace

Expected<DatasetResult> BuildMmmu(const DatasetOptions& o, const DatasetContext& c) {
  if (auto s = CheckImageBackend(o, "mmmu"); !s) return std::unexpected(s.error());
  if (o.tokenize_prompt) return MakeError("--tokenize-prompt: not allowed with mmmu");
  if (o.path.empty()) {
    return MakeError(
        "--dataset-path: mmmu reads a local JSONL export of MMMU/MMMU (Math, test), one "
        "{{\"question\": ..., \"image_1\": <base64, data URI or file path>}} a line; servebench "
        "does not read or download the hub's parquet file");
  }
  if (IsParquet(o.path)) {
    return MakeError(
        "--dataset-path {}: parquet is not read; export it to JSONL first, e.g. "
        "/usr/bin/python3 -c \"import pandas as p,base64,json;[print(json.dumps({{'question':r."
        "question,'image_1':base64.b64encode(r.image_1['bytes']).decode()}})) for r in "
        "p.read_parquet('{}').itertuples()]\" > mmmu_math_test.jsonl",
        o.path, o.path);
  }
  std::ifstream in(o.path, std::ios::binary);
  if (!in) return MakeError("--dataset-path {}: cannot be read", o.path);

  DatasetResult result;
  DropReport& report = result.report;
  report.source = o.path;
  simdjson::dom::parser parser;
  std::vector<Example> examples;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++report.read;
    auto example = ParseLine(parser, line);
    if (!example) {
      if (!o.skip_invalid_lines)
        return MakeError("{}:{}: {}", o.path, number, example.error().message);
      report.Drop("invalid lines");
      continue;
    }
    example->line = number;
    examples.push_back(std::move(*example));
  }
  report.examined = report.read;
  if (examples.empty()) return result;

  load::RandomStream dataset(o.seed, load::kDatasetStream);
  std::vector<size_t> picked;
  if (examples.size() > o.num_prompts) {
    picked = dataset.DistinctIndices(o.num_prompts, examples.size());
  } else {
    for (size_t i = 0; i < examples.size(); ++i)
      picked.push_back(i);
  }
  fs::path dir = fs::path(o.path).parent_path();
  for (size_t k : picked) {
    const Example& e = examples[k];
    auto bytes = ImageBytes(e.image, dir);
    auto image = bytes ? DecodeImage(*bytes) : std::unexpected(bytes.error());
    if (!image) return MakeError("{}:{}: {}", o.path, e.line, image.error().message);
    std::string png = EncodeImage(image->rgb, image->size, ImageFormat::kPng);
    std::vector<std::string> uris = {DataUri(MimeType(ImageFormat::kPng), png)};
    auto row = MakeImageRow(o, c, "Question: " + e.question + "\n\nAnswer: ", std::move(uris),
                            o.lengths.output_len);
    if (!row) return std::unexpected(row.error());
    result.rows.push_back(std::move(*row));
  }
  return result;
}

}  // namespace servebench::dataset
