#include "metrics/prometheus_text.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

namespace servebench::metrics {
namespace {

bool IsNameChar(char c, bool first) {
  bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
  return alpha || (!first && c >= '0' && c <= '9');
}

size_t NameEnd(std::string_view s, size_t pos) {
  size_t i = pos;
  while (i < s.size() && IsNameChar(s[i], i == pos))
    ++i;
  return i;
}

void SkipBlanks(std::string_view s, size_t& i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
    ++i;
}

// Prometheus writes +Inf, -Inf and NaN; strtod reads those spellings too, but not from a
// string_view, hence the copy.
bool ParseValue(std::string_view text, double* value) {
  std::string copy(text);
  if (copy == "NaN") {
    *value = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  char* end = nullptr;
  *value = std::strtod(copy.c_str(), &end);
  return !copy.empty() && end == copy.c_str() + copy.size();
}

// `{a="x",b="y\"z"}` from s[i] == '{'; leaves i after the closing brace.
Status ParseLabels(std::string_view s, size_t& i, std::map<std::string, std::string>& labels) {
  ++i;
  while (true) {
    SkipBlanks(s, i);
    if (i < s.size() && s[i] == '}') {
      ++i;
      return {};
    }
    size_t end = NameEnd(s, i);
    if (end == i) return MakeError("expected a label name or '}}' at column {}", i + 1);
    std::string name(s.substr(i, end - i));
    i = end;
    SkipBlanks(s, i);
    if (i + 1 >= s.size() || s[i] != '=' || s[i + 1] != '"') {
      return MakeError("expected =\"…\" after label {}", name);
    }
    i += 2;
    std::string value;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) {
        ++i;
        value.push_back(s[i] == 'n' ? '\n' : s[i]);
      } else {
        value.push_back(s[i]);
      }
      ++i;
    }
    if (i >= s.size()) return MakeError("unterminated value of label {}", name);
    ++i;
    labels[name] = std::move(value);
    SkipBlanks(s, i);
    if (i < s.size() && s[i] == ',') ++i;
  }
}

}  // namespace

std::string PrometheusSample::Key() const {
  std::string key = name;
  if (labels.empty()) return key;
  key.push_back('{');
  bool first = true;
  for (const auto& [label, value] : labels) {
    if (!first) key.push_back(',');
    first = false;
    key.append(label).append("=\"").append(value).append("\"");
  }
  key.push_back('}');
  return key;
}

Expected<PrometheusScrape> ParsePrometheusText(std::string_view text) {
  PrometheusScrape scrape;
  std::set<std::string, std::less<>> counter_families;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t i = 0;
    SkipBlanks(line, i);
    if (i == line.size()) continue;
    if (line[i] == '#') {
      // Only `# TYPE <name> counter` matters; HELP and other comments are skipped.
      constexpr std::string_view kType = "# TYPE ";
      std::string_view rest = line.substr(i);
      if (rest.starts_with(kType)) {
        rest.remove_prefix(kType.size());
        size_t end = NameEnd(rest, 0);
        std::string_view type = rest.substr(end);
        while (!type.empty() && type.front() == ' ')
          type.remove_prefix(1);
        if (type == "counter") counter_families.emplace(rest.substr(0, end));
      }
      continue;
    }
    PrometheusSample sample;
    size_t end = NameEnd(line, i);
    if (end == i) return MakeError("/metrics line {}: expected a metric name", line_number);
    sample.name = std::string(line.substr(i, end - i));
    i = end;
    if (i < line.size() && line[i] == '{') {
      if (Status s = ParseLabels(line, i, sample.labels); !s) {
        return MakeError("/metrics line {}: {}", line_number, s.error().message);
      }
    }
    SkipBlanks(line, i);
    size_t value_end = line.find_first_of(" \t", i);
    std::string_view value = line.substr(i, value_end - i);  // a timestamp may follow
    if (!ParseValue(value, &sample.value)) {
      return MakeError("/metrics line {}: expected a number after {}, got '{}'", line_number,
                       sample.name, value);
    }
    std::string_view family = sample.name;
    if (family.ends_with("_total")) family.remove_suffix(6);
    sample.counter = !sample.name.ends_with("_created") &&
                     (counter_families.contains(sample.name) || counter_families.contains(family));
    scrape.push_back(std::move(sample));
  }
  return scrape;
}

bool SeriesMatches(const PrometheusSample& sample, std::string_view name,
                   const std::map<std::string, std::string>& want) {
  std::string_view n = sample.name;
  if (n != name && !(n.starts_with(name) && n.substr(name.size()) == "_total")) return false;
  for (const auto& [label, value] : want) {
    auto it = sample.labels.find(label);
    if (it == sample.labels.end() || it->second != value) return false;
  }
  return true;
}

double SumSeries(const PrometheusScrape& scrape, std::string_view name,
                 const std::map<std::string, std::string>& want) {
  double sum = 0;
  for (const PrometheusSample& s : scrape) {
    if (SeriesMatches(s, name, want)) sum += s.value;
  }
  return sum;
}

}  // namespace servebench::metrics
