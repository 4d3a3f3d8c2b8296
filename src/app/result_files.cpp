#include "app/result_files.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace servebench::app {

namespace fs = std::filesystem;

namespace {

// The directory the result file goes to must exist and take new files; checked before the run
// so that a typo does not cost the whole benchmark.
Status CheckResultDirectory(const std::string& result_dir, const std::string& result_filename) {
  if (!result_dir.empty()) {
    std::error_code ec;
    fs::create_directories(result_dir, ec);
    if (ec) return MakeError("--result-dir {}: cannot create: {}", result_dir, ec.message());
    if (!fs::is_directory(result_dir)) {
      return MakeError("--result-dir {}: not a directory", result_dir);
    }
    if (access(result_dir.c_str(), W_OK | X_OK) != 0) {
      return MakeError("--result-dir {}: not writable: {}", result_dir, std::strerror(errno));
    }
  }
  fs::path parent = (fs::path(result_dir) / result_filename).parent_path();
  if (!result_filename.empty() && parent != fs::path(result_dir)) {
    std::string dir = parent.empty() ? "." : parent.string();
    if (!fs::is_directory(dir) || access(dir.c_str(), W_OK | X_OK) != 0) {
      return MakeError("--result-filename {}: directory {} does not exist or is not writable",
                       result_filename, dir);
    }
  } else if (result_dir.empty() && access(".", W_OK | X_OK) != 0) {
    return MakeError("--save-result: the current directory is not writable (give --result-dir)");
  }
  return Ok();
}

}  // namespace

Expected<std::unique_ptr<ResultFiles>> ResultFiles::Open(const RunFlags& f,
                                                         bool kernel_timestamps) {
  std::unique_ptr<ResultFiles> files(new ResultFiles());
  for (const std::string& item : f.metadata) {
    auto pair = report::ParseMetadataPair(item);
    if (!pair) return std::unexpected(pair.error());
    files->options_.metadata.push_back(std::move(*pair));
  }
  files->options_.label = f.label;
  files->options_.save_detailed = f.save_detailed;
  // vLLM writes the file when either flag is given.
  files->save_result_ = f.save_result || f.append_result;
  files->append_result_ = f.append_result;
  files->result_dir_ = f.result_dir;
  files->result_filename_ = f.result_filename;
  files->lora_names_ = f.lora_names;
  files->kernel_timestamps_ = kernel_timestamps;
  if (files->save_result_) {
    if (Status s = CheckResultDirectory(f.result_dir, f.result_filename); !s) {
      return std::unexpected(s.error());
    }
  }
  if (!f.request_log.empty()) {
    auto log = report::RequestLog::Open(f.request_log);
    if (!log) return std::unexpected(log.error());
    files->request_log_.emplace(std::move(*log));
  }
  return files;
}

Status ResultFiles::LogRequests(std::string_view phase, double rate,
                                std::span<const metrics::RequestRecord> sent) {
  if (!request_log_) return Ok();
  return request_log_->Append(
      sent, report::RequestLogContext{phase, rate, lora_names_, kernel_timestamps_});
}

Status ResultFiles::WriteMeasured(const report::RunInfo& info, const metrics::RunMetrics& m,
                                  std::span<const metrics::RequestRecord> sent,
                                  const metrics::MeasurementRules& rules) {
  if (Status s = LogRequests("measured", info.request_rate, sent); !s) return s;
  return WriteVllmResult(info, m, sent, rules);
}

Status ResultFiles::WriteVllmResult(const report::RunInfo& info, const metrics::RunMetrics& m,
                                    std::span<const metrics::RequestRecord> sent,
                                    const metrics::MeasurementRules& rules) {
  if (!save_result_) return Ok();
  report::VllmResultOptions options = options_;
  options.date = report::VllmTimestamp(info.start_unix_ns);
  std::string name = !result_filename_.empty()
                         ? result_filename_
                         : report::VllmResultFileName(info, options, options.date);
  std::string path = (fs::path(result_dir_) / name).string();
  bool append = append_result_ || written_.contains(path);
  std::string object = report::RenderVllmResult(info, m, options, sent, rules);
  if (Status s = report::WriteVllmResultFile(path, object, append); !s) return s;
  written_.insert(path);
  return Ok();
}

}  // namespace servebench::app
