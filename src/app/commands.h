// The subcommands of the servebench binary. Each Add*Command declares its flags on `app` and,
// when CLI11 selects it, stores in `runner` the function main() calls after parsing; the runner's
// return value is the process exit code.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace servebench::app {

using CommandRunner = std::function<int()>;

void AddServeSimCommand(CLI::App& app, CommandRunner& runner);
void AddTokenizeCommand(CLI::App& app, CommandRunner& runner);
void AddChatTemplateCommand(CLI::App& app, CommandRunner& runner);
void AddRunCommand(CLI::App& app, CommandRunner& runner);
void AddThroughputCommand(CLI::App& app, CommandRunner& runner);

}  // namespace servebench::app
