#pragma once
#include "cli/arg_parser.h"
#include "io/image_file.h"

namespace restora::cli {

/// --quality Q and --max-pixels N: how images are read and written. Shared by restore and batch.
void add_file_options(ArgParser& parser);
ReadOptions read_options(const ParsedArgs& parsed);
WriteOptions write_options(const ParsedArgs& parsed);

}  // namespace restora::cli
