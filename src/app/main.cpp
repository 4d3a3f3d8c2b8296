#include <cstdio>

#include <CLI/CLI.hpp>

#include "app/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"servebench: a benchmark client for LLM inference servers", "servebench"};
  app.set_version_flag("--version", std::string("servebench ") + SERVEBENCH_VERSION);
  app.require_subcommand(1);

  servebench::app::CommandRunner runner;
  servebench::app::AddServeSimCommand(app, runner);
  servebench::app::AddTokenizeCommand(app, runner);
  servebench::app::AddChatTemplateCommand(app, runner);
  servebench::app::AddRunCommand(app, runner);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return runner ? runner() : 0;
}
