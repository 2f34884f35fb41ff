//===- link.cpp - emberc's linked outputs: executables and libraries ------===//
//
// --emit=exe: the object, the generated model file and aot/aot_main.cpp's
// and aot/aot_runtime.cpp's libraries, linked by the system C++ compiler
// against the runtime's C ABI (libember_runtime.a) and OpenBLAS.
// --emit=lib: the same object and model file (with the C API's functions)
// compiled -fPIC, archived with every member of aot_runtime's and the
// runtime's archives into one static library (LLVM's archive writer, with a
// symbol table, so the linker pulls in only what the code calls), and the
// C header beside it. A C program then links lib<name>.a, OpenBLAS and the
// C++ runtime: the objects are C++ underneath.
// --weights=external: the weights go to <name>.safetensors beside -o
// instead of into the model file (aot_runtime.cpp loads them).
//
//===----------------------------------------------------------------------===//

#include "emberc.h"

#include "ember/runtime/error.h"
#include "ember/runtime/file_io.h"
#include "ember/serialize.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Object/Archive.h"
#include "llvm/Object/ArchiveWriter.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <cstdlib>
#include <memory>
#include <optional>

namespace emberc {
namespace {

// Runs `argv`; throws with its output when it fails.
void runTool(const std::vector<std::string> &argv, const std::string &dir) {
  std::string log = dir + "/tool.log";
  std::vector<llvm::StringRef> args(argv.begin(), argv.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log, log};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(argv[0], args, std::nullopt, redirects, 0,
                                     0, &error);
  if (rc != 0) {
    std::string command;
    for (const std::string &a : argv)
      command += (command.empty() ? "" : " ") + a;
    std::string text;
    try {
      text = ember::read_file("emberc", log);
    } catch (const ember::Error &) {
    }
    EMBER_FAIL("emberc", "'", command, "' failed (", rc, ") ", error, "\n",
               text);
  }
}

// What the outputs link besides the object: the build tree's files when
// they exist, else those installed beside emberc (<prefix>/bin/emberc ->
// <prefix>/lib, <prefix>/include/ember/aot).
struct AotFiles {
  std::string includeDir, mainLib, rtLib, runtimeLib;
};
AotFiles aotFiles() {
  AotFiles build{EMBER_AOT_INCLUDE_DIR, EMBER_AOT_MAIN_LIB, EMBER_AOT_RT_LIB,
                 EMBER_AOT_RUNTIME_LIB};
  if (llvm::sys::fs::exists(build.mainLib) &&
      llvm::sys::fs::exists(build.rtLib) &&
      llvm::sys::fs::exists(build.runtimeLib))
    return build;
  static int anchor;
  llvm::SmallString<256> prefix(
      llvm::sys::fs::getMainExecutable("emberc", &anchor));
  llvm::sys::path::remove_filename(prefix); // bin/
  llvm::sys::path::remove_filename(prefix); // <prefix>
  std::string p(prefix.str());
  std::string lib = p + "/" EMBER_INSTALL_LIBDIR "/";
  AotFiles installed{p + "/" EMBER_INSTALL_INCLUDEDIR "/ember/aot",
                     lib + "libember_aot_main.a", lib + "libember_aot_rt.a",
                     lib + "libember_runtime.a"};
  for (const std::string &f :
       {installed.includeDir + "/aot_model.h", installed.mainLib,
        installed.rtLib, installed.runtimeLib})
    EMBER_CHECK(llvm::sys::fs::exists(f), "emberc", "cannot find '", f,
                "' (nor the build tree's ", build.mainLib,
                "), which --emit=exe and --emit=lib link");
  return installed;
}

// A temporary folder, removed with everything in it.
struct TempDir {
  std::string path;
  TempDir() {
    llvm::SmallString<128> dir;
    EMBER_CHECK(!llvm::sys::fs::createUniqueDirectory("emberc", dir), "emberc",
                "cannot create a temporary folder");
    path = std::string(dir.str());
  }
  ~TempDir() { llvm::sys::fs::remove_directories(path); }
};

std::string compiler() {
  const char *cxxEnv = std::getenv("CXX");
  std::string cxxName = cxxEnv && *cxxEnv ? cxxEnv : "c++";
  auto cxx = llvm::sys::findProgramByName(cxxName);
  EMBER_CHECK(cxx, "emberc", "no C++ compiler '", cxxName,
              "' on PATH (set CXX) to build the output");
  return *cxx;
}

// The folder of `path` ("." when it has none), with a trailing '/'.
std::string folderOf(const std::string &path) {
  llvm::StringRef dir = llvm::sys::path::parent_path(path);
  return (dir.empty() ? std::string(".") : dir.str()) + "/";
}

template <typename T>
T orFail(llvm::Expected<T> value, const std::string &what) {
  if (!value)
    EMBER_FAIL("emberc", what, ": ", llvm::toString(value.takeError()));
  return std::move(*value);
}

} // namespace

std::string writeExternalWeights(const ember::jit::Package &p,
                                 const AotOptions &o) {
  ember::OrderedDict<ember::Tensor> tensors;
  for (size_t i = 0; i < p.weights.size(); ++i)
    tensors.insert(p.weights[i].name, p.weight_values[i]);
  std::string path = folderOf(o.output) + o.name + ".safetensors";
  // ember::save writes a temporary file and renames it (atomic).
  ember::save(tensors, path,
              {{"ember.package_hash", "sha256:" + p.hash},
               {"ember.function", p.function}});
  return path;
}

void writeExecutable(const ember::jit::Package &p, const AotOptions &o) {
  TempDir d;
  ember::atomic_write_file("emberc", d.path + "/model.cpp", modelSource(p, o));
  AotFiles files = aotFiles();
  std::string tmp = d.path + "/model.exe";
  std::vector<std::string> argv = {
      compiler(), "-O2", "-std=c++17",         "-I" + files.includeDir,
      "-o",       tmp,   d.path + "/model.cpp"};
  if (o.cuda) {
#ifdef EMBER_AOT_CUDA_LIB
    // The device program's runner (before the runtime it calls), cudart.
    llvm::StringRef cudart(EMBER_AOT_CUDART_LIB);
    argv.insert(argv.end(),
                {files.mainLib, files.rtLib, EMBER_AOT_CUDA_LIB,
                 files.runtimeLib, EMBER_AOT_CUDART_LIB,
                 "-Wl,-rpath," + llvm::sys::path::parent_path(cudart).str(),
                 "-ldl"});
#else
    EMBER_FAIL("emberc", "--target=cuda --emit=exe needs an emberc built "
                         "with CUDA (EMBER_ENABLE_CUDA)");
#endif
  } else {
    ember::atomic_write_file("emberc", d.path + "/model.o", o.object);
    argv.insert(argv.end(), {d.path + "/model.o", files.mainLib, files.rtLib,
                             files.runtimeLib});
  }
  argv.insert(argv.end(), {EMBER_AOT_BLAS_LIB, "-lpthread", "-lm"});
  runTool(argv, d.path);
  ember::atomic_write_file("emberc", o.output, ember::read_file("emberc", tmp));
  llvm::sys::fs::setPermissions(o.output, llvm::sys::fs::all_read |
                                              llvm::sys::fs::all_exe |
                                              llvm::sys::fs::owner_write);
  if (o.externalWeights)
    writeExternalWeights(p, o);
}

void writeLibrary(const ember::jit::Package &p, const AotOptions &o) {
  TempDir d;
  std::string header = cApiHeader(p, o);
  ember::atomic_write_file("emberc", d.path + "/model.o", o.object);
  ember::atomic_write_file("emberc", d.path + "/" + o.name + ".h", header);
  ember::atomic_write_file("emberc", d.path + "/model_data.cpp",
                           modelSource(p, o) + "\n" + cApiSource(p, o));
  AotFiles files = aotFiles();
  runTool({compiler(), "-O2", "-std=c++17", "-fPIC", "-I" + files.includeDir,
           "-I" + d.path, "-c", "-o", d.path + "/model_data.o",
           d.path + "/model_data.cpp"},
          d.path);

  // The archive: the two objects, then every member of the runtime
  // archives (their buffers must outlive the writer).
  std::vector<llvm::NewArchiveMember> members;
  for (const char *object : {"/model.o", "/model_data.o"})
    members.push_back(orFail(llvm::NewArchiveMember::getFile(
                                 d.path + object, /*Deterministic=*/true),
                             "cannot read '" + d.path + object + "'"));
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> buffers;
  std::vector<std::unique_ptr<llvm::object::Archive>> archives;
  for (const std::string &lib : {files.rtLib, files.runtimeLib}) {
    auto buffer = llvm::MemoryBuffer::getFile(lib);
    EMBER_CHECK(buffer, "emberc", "cannot read '", lib,
                "': ", buffer.getError().message());
    buffers.push_back(std::move(*buffer));
    archives.push_back(
        orFail(llvm::object::Archive::create(buffers.back()->getMemBufferRef()),
               "'" + lib + "' is not an archive"));
    llvm::Error err = llvm::Error::success();
    for (const auto &child : archives.back()->children(err))
      members.push_back(
          orFail(llvm::NewArchiveMember::getOldMember(child, true),
                 "cannot read a member of '" + lib + "'"));
    if (err)
      EMBER_FAIL("emberc", "cannot read '", lib,
                 "': ", llvm::toString(std::move(err)));
  }
  auto archive = orFail(
      llvm::writeArchiveToBuffer(members, llvm::SymtabWritingMode::NormalSymtab,
                                 llvm::object::Archive::K_GNU,
                                 /*Deterministic=*/true, /*Thin=*/false),
      "cannot write the archive");
  ember::atomic_write_file(
      "emberc", o.output,
      std::string(archive->getBufferStart(), archive->getBufferSize()));
  ember::atomic_write_file("emberc", folderOf(o.output) + o.name + ".h",
                           header);
  if (o.externalWeights)
    writeExternalWeights(p, o);
}

} // namespace emberc
