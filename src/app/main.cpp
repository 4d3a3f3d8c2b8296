#include <cstdio>
#include <string>

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
  servebench::app::AddThroughputCommand(app, runner);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    // Bad flags: one line naming the flag, exit code 2 (cli.md §7).
    std::string message = e.what();
    for (char& c : message) {
      if (c == '\n') c = ' ';
    }
    std::fprintf(stderr, "servebench: %s\n", message.c_str());
    return 2;
  }
  return runner ? runner() : 0;
}
