#include "app/flag_names.h"

namespace servebench::app {

std::string Names(std::string_view names) {
  std::string out;
  size_t start = 0;
  while (start <= names.size()) {
    size_t comma = names.find(',', start);
    if (comma == std::string_view::npos) comma = names.size();
    std::string name(names.substr(start, comma - start));
    out += (out.empty() ? "" : ",") + name;
    if (name.starts_with("--") && name.find('-', 2) != std::string::npos) {
      std::string underscore = name;
      for (size_t i = 2; i < underscore.size(); ++i)
        if (underscore[i] == '-') underscore[i] = '_';
      out += "," + underscore;
    }
    start = comma + 1;
  }
  return out;
}

}  // namespace servebench::app
