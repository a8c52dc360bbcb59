# Installation and the Debian packages (CPack, DEB generator), from a
# Release build:
#   cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release \
#     -DANDING_BUILD_TESTS=OFF -DANDING_BUILD_BENCH=OFF
#   ninja -C build-rel package        # build-rel/anding-{dispatcher,agent,cli}_*.deb
# Three packages: anding-dispatcher (headquarters' daemon, the dashboard,
# the backup timer), anding-agent (a mine office's daemon and its command
# line) and anding (the operator command line). Layout: programs in
# /usr/bin, configuration in /etc/anding (conffiles: upgrades keep local
# edits), data in /var/lib/anding, logs to the journal, units in
# /lib/systemd/system; each program's manual pages (English, zh_CN), bash
# completion and Chinese catalogue come from cmake/CommandLineDocs.cmake
# (anding_command_line_docs). deploy/debian holds the units, the configuration
# templates and the maintainer scripts; deploy/package-test checks them.
set(ANDING_DEBIAN_DIR ${PROJECT_SOURCE_DIR}/deploy/debian)
set(ANDING_PACKAGE_MAINTAINER "Anding developers <anding@example.com>" CACHE STRING
  "The packages' Maintainer: who answers for them at your site")
set(ANDING_PACKAGE_DIR ${PROJECT_BINARY_DIR}/packaging)

install(TARGETS anding-dispatcher RUNTIME DESTINATION bin COMPONENT dispatcher)
install(TARGETS anding-agent RUNTIME DESTINATION bin COMPONENT agent)
install(TARGETS anding RUNTIME DESTINATION bin COMPONENT cli)

# The dashboard, with ECharts from npm (deploy/install-web puts it in
# vendor/): a package without it would draw no charts.
install(CODE "
  if(NOT EXISTS \"${PROJECT_SOURCE_DIR}/dispatcher/dashboard/vendor/echarts.min.js\")
    message(FATAL_ERROR \"dispatcher/dashboard/vendor/echarts.min.js is missing: run deploy/install-web\")
  endif()" COMPONENT dispatcher)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/dispatcher/dashboard/
  DESTINATION share/anding/dashboard COMPONENT dispatcher
  PATTERN node_modules EXCLUDE PATTERN package.json EXCLUDE PATTERN package-lock.json EXCLUDE)

# /etc/anding/dispatcher.yaml: the demo's organisation and settings (one
# source, kept valid by the tests) with the installed paths.
file(READ ${PROJECT_SOURCE_DIR}/deploy/demo/dispatcher.yaml ANDING_DISPATCHER_YAML)
foreach(pair
    "# Anding demo: headquarters dispatcher (anding-dispatcher --config dispatcher.yaml).
# deploy/quickstart copies this file into the demo directory (.demo/) and
# creates the key files it names; relative paths are relative to this file.|# Anding (安定) dispatcher: /etc/anding/dispatcher.yaml. The organisation below is the
# demo's: replace regions, units, teams, people and phone numbers with your own,
# check with `anding-dispatcher --config /etc/anding/dispatcher.yaml --check-config`,
# then `systemctl enable --now anding-dispatcher`. Every key:
# /usr/share/doc/anding-dispatcher/examples/."
    "data_dir: data/dispatcher |data_dir: /var/lib/anding/dispatcher "
    "enrolled_keys_file: keys/enrolled.txt|enrolled_keys_file: /var/lib/anding/dispatcher/enrolled.txt"
    "secret_key_file: keys/dispatcher.key|secret_key_file: /etc/anding/keys/dispatcher.key"
    "  endpoint: tcp://127.0.0.1:7100|  endpoint: tcp://0.0.0.0:7100   # every interface: agents connect with CURVE"
    "  json_file: logs/dispatcher.jsonl   # outside data_dir (refused inside it); rotated|  # the journal keeps the log (journalctl -u anding-dispatcher)"
    "  listen: 127.0.0.1:7104|  listen: 127.0.0.1:7104             # behind a TLS front (deploy/REFERENCE.md)
  static_dir: /usr/share/anding/dashboard")
  string(FIND "${pair}" "|" bar)
  string(SUBSTRING "${pair}" 0 ${bar} from)
  math(EXPR after "${bar} + 1")
  string(SUBSTRING "${pair}" ${after} -1 to)
  string(FIND "${ANDING_DISPATCHER_YAML}" "${from}" found)
  if(found EQUAL -1)
    message(FATAL_ERROR "deploy/demo/dispatcher.yaml no longer contains '${from}' (cmake/Packaging.cmake)")
  endif()
  string(REPLACE "${from}" "${to}" ANDING_DISPATCHER_YAML "${ANDING_DISPATCHER_YAML}")
endforeach()
file(WRITE ${ANDING_PACKAGE_DIR}/etc/dispatcher.yaml "${ANDING_DISPATCHER_YAML}")

install(FILES ${ANDING_PACKAGE_DIR}/etc/dispatcher.yaml DESTINATION /etc/anding COMPONENT dispatcher)
install(FILES ${ANDING_DEBIAN_DIR}/agent.yaml DESTINATION /etc/anding COMPONENT agent)
install(FILES ${ANDING_DEBIAN_DIR}/operator.yaml DESTINATION /etc/anding COMPONENT cli)
install(FILES ${ANDING_DEBIAN_DIR}/anding-dispatcher.service ${ANDING_DEBIAN_DIR}/anding-backup.service
  ${ANDING_DEBIAN_DIR}/anding-backup.timer DESTINATION /lib/systemd/system COMPONENT dispatcher)
install(FILES ${ANDING_DEBIAN_DIR}/anding-agent.service DESTINATION /lib/systemd/system
  COMPONENT agent)
file(GLOB ANDING_EXAMPLES ${PROJECT_SOURCE_DIR}/deploy/demo/*-example.yaml)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/demo/dispatcher.yaml ${ANDING_EXAMPLES}
  DESTINATION share/doc/anding-dispatcher/examples COMPONENT dispatcher)
install(FILES ${PROJECT_SOURCE_DIR}/deploy/demo/agent-mine-3.yaml
  DESTINATION share/doc/anding-agent/examples COMPONENT agent)

# Per package: README, copyright, changelog (gzipped, as policy asks),
# conffiles and maintainer scripts.
string(TIMESTAMP ANDING_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(READ ${ANDING_DEBIAN_DIR}/service-user.sh ANDING_SERVICE_USER)
string(STRIP "${ANDING_SERVICE_USER}" ANDING_SERVICE_USER)
foreach(component dispatcher agent cli)
  if(component STREQUAL cli)
    set(package anding)
  else()
    set(package anding-${component})
  endif()
  set(dir ${ANDING_PACKAGE_DIR}/${component})
  # A native package (no Debian revision): changelog.gz, not changelog.Debian.gz.
  file(WRITE ${dir}/changelog
    "${package} (${PROJECT_VERSION}) stable; urgency=medium\n\n"
    "  * Built from the Anding source tree; see its git history.\n\n"
    " -- ${ANDING_PACKAGE_MAINTAINER}  ${ANDING_CHANGELOG_DATE}\n")
  execute_process(COMMAND gzip -9nf ${dir}/changelog)
  install(FILES ${dir}/changelog.gz ${ANDING_DEBIAN_DIR}/copyright
    ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/${package} COMPONENT ${component})
  set(control)
  if(component STREQUAL dispatcher)
    file(WRITE ${dir}/conffiles "/etc/anding/dispatcher.yaml\n")
    set(units "anding-dispatcher.service anding-backup.timer")
  elseif(component STREQUAL agent)
    file(WRITE ${dir}/conffiles "/etc/anding/agent.yaml\n")
    set(units "anding-agent.service")
  else()
    file(WRITE ${dir}/conffiles "/etc/anding/operator.yaml\n")
  endif()
  list(APPEND control ${dir}/conffiles)
  if(NOT component STREQUAL cli)
    set(SERVICE_USER "${ANDING_SERVICE_USER}")
    string(REPLACE "\n" "\n  " SERVICE_USER "  ${SERVICE_USER}")
    configure_file(${ANDING_DEBIAN_DIR}/${component}.postinst.in ${dir}/postinst @ONLY
      FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
      WORLD_READ WORLD_EXECUTE)
    set(UNITS "${units}")
    configure_file(${ANDING_DEBIAN_DIR}/services.prerm ${dir}/prerm @ONLY
      FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
      WORLD_READ WORLD_EXECUTE)
    list(APPEND control ${dir}/postinst ${dir}/prerm)
  endif()
  string(TOUPPER ${component} upper)
  set(CPACK_DEBIAN_${upper}_PACKAGE_CONTROL_EXTRA "${control}")
  set(CPACK_DEBIAN_${upper}_PACKAGE_NAME ${package})
  set(CPACK_DEBIAN_${upper}_FILE_NAME DEB-DEFAULT)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL dispatcher agent cli)
set(CPACK_PACKAGE_NAME anding)
set(CPACK_PACKAGE_VENDOR "Anding developers")
set(CPACK_PACKAGE_CONTACT "${ANDING_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# procps: /bin/kill for the unit's ExecReload.
set(CPACK_DEBIAN_DISPATCHER_PACKAGE_DEPENDS "adduser, procps, anding (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_AGENT_PACKAGE_DEPENDS "adduser")
set(CPACK_COMPONENT_DISPATCHER_DESCRIPTION
  "headquarters dispatcher of the Anding (安定) incident response system\nThe daemon that receives the mine offices' reports, computes deadlines,\nproposes and dispatches teams, keeps the reserve funds and the ledger,\nsends SMS through Kannel and serves the command center's dashboard.")
set(CPACK_COMPONENT_AGENT_DESCRIPTION
  "mine office agent of the Anding (安定) incident response system\nThe daemon that keeps a mine office's reports in a durable outbox until\nheadquarters has stored them, and the officers' command line.")
set(CPACK_COMPONENT_CLI_DESCRIPTION
  "operator command line of the Anding (安定) incident response system\nHeadquarters' command line: incidents, dispatch, funds, ledger,\nstatistics, users, audit and backups.")
# Printing documents to PDF (anding … --format pdf) uses them when present.
set(CPACK_DEBIAN_CLI_PACKAGE_SUGGESTS "chromium, fonts-noto-cjk")
include(CPack)
