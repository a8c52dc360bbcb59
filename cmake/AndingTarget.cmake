# Compile options shared by every target Anding owns (not by generated code).

if(ANDING_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined -fno-sanitize-recover=all)
endif()
if(ANDING_FUZZ)
  # Coverage for libFuzzer in every object; the fuzz targets link libFuzzer
  # itself (-fsanitize=fuzzer, tests/fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# anding_target_defaults(<target>): warnings (as errors) for our own code.
function(anding_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                         -Wunused -Woverloaded-virtual
                         -Wimplicit-fallthrough)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 at -O3 reports impossible overlaps inside std::string's
    # operator+ (GCC bug 105329/105651): a false positive, not our code.
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(ANDING_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
