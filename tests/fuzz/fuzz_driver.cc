// main() for the gcc build of a libFuzzer entry point: runs every file of the
// given corpus directories through LLVMFuzzerTestOneInput, then a fixed
// number of deterministic mutations of them (a splitmix64 stream with a
// constant seed), so that `bazel test` exercises each fuzz target.
#include <dirent.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

std::vector<std::string> ListFiles(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return files;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == ".." || name == "README.md") continue;
    files.push_back(dir + "/" + name);
  }
  closedir(d);
  std::sort(files.begin(), files.end());  // deterministic order
  return files;
}

void Run(const std::vector<uint8_t>& input) {
  // Copy into an exactly sized heap buffer so ASan catches overreads.
  uint8_t* buf = static_cast<uint8_t*>(std::malloc(input.size() + 1));
  std::copy(input.begin(), input.end(), buf);
  LLVMFuzzerTestOneInput(buf, input.size());
  std::free(buf);
}

void Mutate(std::vector<uint8_t>* v, uint64_t* rng) {
  const int rounds = 1 + static_cast<int>(SplitMix64(rng) % 4);
  for (int i = 0; i < rounds; ++i) {
    const uint64_t r = SplitMix64(rng);
    const size_t pos = v->empty() ? 0 : (r >> 8) % v->size();
    switch (r % 6) {
      case 0:  // flip a bit
        if (!v->empty())
          (*v)[pos] ^= static_cast<uint8_t>(1u << ((r >> 4) % 8));
        break;
      case 1:  // set a byte
        if (!v->empty()) (*v)[pos] = static_cast<uint8_t>(r >> 40);
        break;
      case 2:  // truncate
        v->resize(pos);
        break;
      case 3:  // insert a byte
        v->insert(v->begin() + pos, static_cast<uint8_t>(r >> 40));
        break;
      case 4:  // set an "interesting" value (varint prefixes, 0, 0xff)
        if (!v->empty()) {
          static const uint8_t kValues[] = {0x00, 0x3f, 0x40, 0x7f,
                                            0x80, 0xbf, 0xc0, 0xff};
          (*v)[pos] = kValues[(r >> 40) % 8];
        }
        break;
      default:  // erase a chunk
        if (!v->empty()) {
          const size_t n = std::min<size_t>((r >> 32) % 16, v->size() - pos);
          v->erase(v->begin() + pos, v->begin() + pos + n);
        }
        break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 3000;
  std::vector<std::vector<uint8_t>> seeds;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--mutations=", 0) == 0) {
      mutations = std::strtol(arg.c_str() + 12, nullptr, 10);
      continue;
    }
    for (const std::string& path : ListFiles(arg)) {
      std::ifstream in(path, std::ios::binary);
      seeds.emplace_back(std::istreambuf_iterator<char>(in),
                         std::istreambuf_iterator<char>());
    }
  }
  if (seeds.empty()) {
    std::fprintf(stderr, "fuzz_driver: no corpus files found\n");
    return 1;
  }
  for (const auto& seed : seeds) Run(seed);
  Run({});
  uint64_t rng = 0x5eed0f0f2a9e3779ull;
  for (long i = 0; i < mutations; ++i) {
    std::vector<uint8_t> input = seeds[SplitMix64(&rng) % seeds.size()];
    Mutate(&input, &rng);
    Run(input);
  }
  std::printf("fuzz_driver: %zu seeds, %ld mutations, no crash\n", seeds.size(),
              mutations);
  return 0;
}
