// Where the tag stage's shipped data ("builtin:NAME" files) lives at run time.
//
// Nothing from the source checkout is compiled in: the directory is
// `tag.data_dir` when set, else the nearest `share/newsd` at or above the
// directory of the running executable. That one rule covers an installed
// binary (/usr/bin/newsd -> /usr/share/newsd, /usr/local/bin/newsd ->
// /usr/local/share/newsd) and the build tree, where CMake links
// BUILD/share/newsd to the source data (BUILD/newsd and BUILD/tests/x alike).
// Thread-safe; the default is looked up once per process.
#pragma once

#include <string>

namespace newsd::tag {

// The data directory for `configured` (tag.data_dir); empty when it is unset
// and no share/newsd was found, with the places searched in `error`.
std::string data_dir(const std::string& configured, std::string& error);

}  // namespace newsd::tag
