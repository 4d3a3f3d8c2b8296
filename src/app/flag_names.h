// CLI11 option names with the underscore spelling of every long name added (cli.md §1.9: users
// paste LMDeploy's `--top_p`, `--num_prompts`, `--stream_output`).
#pragma once

#include <string>
#include <string_view>

namespace servebench::app {

// "--top-p,-p" -> "--top-p,--top_p,-p".
std::string Names(std::string_view names);

}  // namespace servebench::app
