#include "stages/tag/data_dir.h"

#include <filesystem>
#include <system_error>

namespace newsd::tag {
namespace {

namespace fs = std::filesystem;

struct Found {
  std::string dir;
  std::string searched;  // for the error when dir is empty
};

Found find_default() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {"", "the executable's path (/proc/self/exe: " + ec.message() + ")"};
  for (fs::path dir = exe.parent_path();; dir = dir.parent_path()) {
    const fs::path candidate = dir / "share" / "newsd";
    if (fs::is_directory(candidate, ec)) return {candidate.string(), ""};
    if (dir == dir.root_path() || dir.empty()) break;
  }
  return {"", "share/newsd in the directories at and above " + exe.parent_path().string()};
}

}  // namespace

std::string data_dir(const std::string& configured, std::string& error) {
  if (!configured.empty()) return configured;
  static const Found found = find_default();
  if (found.dir.empty()) error = "tag data directory not found (looked for " + found.searched + "); set tag.data_dir";
  return found.dir;
}

}  // namespace newsd::tag
