# lit configuration for ember's FileCheck suites (ember-opt on .mlir files).
# Loaded by the lit.site.cfg.py that CMake writes into the build folder.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "ember"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = config.ember_lit_obj_root

llvm_config.with_system_environment(["HOME", "TMP", "TEMP"])
# FileCheck, not (after a pipe), count from LLVM's tools folder; not at
# the start of a RUN line, emberc and llvm-nm below.
llvm_config.use_default_substitutions()
llvm_config.add_tool_substitutions(
    ["ember-opt", "ember-trace-example", "ember-package-example", "emberc",
     "llvm-nm", "not"],
    [config.ember_tools_dir, config.llvm_tools_dir])

# emberc --emit=exe links with the system C++ compiler; its test checks the
# executable's libraries with ldd (glibc Linux).
import platform
import shutil

if platform.system() == "Linux" and shutil.which("c++") and shutil.which("ldd"):
    config.available_features.add("ember-exe")
    # emberc --emit=lib's test links a plain C program (cc -std=c11).
    if shutil.which("cc"):
        config.available_features.add("ember-cc")
    # emberc --target=cuda --emit=exe links the runtime's CUDA half.
    if getattr(config, "ember_cuda", False):
        config.available_features.add("ember-cuda-exe")
