#include "stages/extract/site.h"

#include <libpsl.h>

#include <cctype>

namespace newsd::extract {
namespace {

const psl_ctx_t* list() {
  // psl_latest picks the newer of the system file and the built-in list.
  static const psl_ctx_t* psl = [] {
    const psl_ctx_t* p = psl_latest(nullptr);
    return p != nullptr ? p : psl_builtin();
  }();
  return psl;
}

std::string host_of(std::string_view url) {
  const size_t s = url.find("://");
  if (s == std::string_view::npos) return {};
  std::string_view rest = url.substr(s + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') return std::string(rest.substr(0, rest.find(']') + 1));  // IPv6
  rest = rest.substr(0, rest.find(':'));
  while (!rest.empty() && rest.back() == '.') rest.remove_suffix(1);  // "example.com." is example.com
  std::string host(rest);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

}  // namespace

std::string registrable_domain(std::string_view url) {
  const std::string host = host_of(url);
  if (host.empty()) return {};
  // An address has no registrable domain (the list would make "0.1" of 127.0.0.1).
  if (host.front() == '[' || host.find_first_not_of("0123456789.") == std::string::npos) return host;
  const psl_ctx_t* psl = list();
  const char* domain = psl != nullptr ? psl_registrable_domain(psl, host.c_str()) : nullptr;
  return domain != nullptr ? std::string(domain) : host;
}

bool same_site(std::string_view fetched, std::string_view candidate) {
  const std::string site = registrable_domain(fetched);
  return site.empty() || site == registrable_domain(candidate);
}

}  // namespace newsd::extract
