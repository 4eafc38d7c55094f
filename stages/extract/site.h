// Which site a URL belongs to, by the public suffix list: the registrable
// domain (eTLD+1) of its host, so "news.bbc.co.uk" and "www.bbc.co.uk" are
// one site and "a.github.io" and "b.github.io" are two.
//
// The list is Debian's publicsuffix package, read through libpsl (its newest
// copy: /usr/share/publicsuffix, else the list built into libpsl), loaded
// once per process.
//
// Thread-safety: every function may be called from any thread.
#pragma once

#include <string>
#include <string_view>

namespace newsd::extract {

// The registrable domain of the URL's host, lower-cased; the host itself when
// it has none (an IP address, "localhost", a bare public suffix); "" when the
// URL has no host.
std::string registrable_domain(std::string_view url);

// Whether `candidate` (a canonical or og:url) may give the page fetched from
// `fetched` its id: both on one registrable domain, or `fetched` unknown.
// Otherwise one site could claim another's article id and dedup entry.
bool same_site(std::string_view fetched, std::string_view candidate);

}  // namespace newsd::extract
