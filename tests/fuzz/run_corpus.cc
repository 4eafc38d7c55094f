// Runs a fuzz target over corpus files without libFuzzer: the corpus
// regression the ordinary (gcc, ASan+UBSan) builds run from ctest.
//
//   fuzz_X_corpus [--timeout SECONDS] FILE_OR_DIR...
//
// Each input goes through LLVMFuzzerTestOneInput once. A crash or a failed
// invariant aborts with the sanitizer's report; an input running longer than
// the time limit (default 60 s, generous for sanitizer builds) is reported
// by name and fails the run.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

char g_current[4096];

void on_alarm(int) {
  const char prefix[] = "\nfuzz corpus: time limit exceeded on ";
  (void)!write(STDERR_FILENO, prefix, sizeof prefix - 1);
  (void)!write(STDERR_FILENO, g_current, std::strlen(g_current));
  (void)!write(STDERR_FILENO, "\n", 1);
  _exit(70);
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  unsigned timeout = 60;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) {
      timeout = static_cast<unsigned>(std::atoi(argv[++i]));
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(argv[i], ec)) {
      for (const auto& e : fs::recursive_directory_iterator(argv[i]))
        if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
    } else if (fs::exists(argv[i], ec)) {
      files.emplace_back(argv[i]);
    }  // a target's own corpus directory exists once something was kept there
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::fprintf(stderr, "usage: %s [--timeout SECONDS] FILE_OR_DIR...\n(no inputs found)\n", argv[0]);
    return 2;
  }
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  signal(SIGALRM, on_alarm);
  double slowest = 0;
  std::string slowest_name;
  for (const fs::path& f : files) {
    std::ifstream in(f, std::ios::binary);
    const std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::snprintf(g_current, sizeof g_current, "%s", f.c_str());
    const auto start = std::chrono::steady_clock::now();
    alarm(timeout);
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    alarm(0);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (secs > slowest) slowest = secs, slowest_name = f.filename().string();
  }
  std::printf("%zu inputs ok; slowest %.3f s (%s)\n", files.size(), slowest, slowest_name.c_str());
  return 0;
}
