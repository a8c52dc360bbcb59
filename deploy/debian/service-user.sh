# Shared by the maintainer scripts of anding-dispatcher and anding-agent
# (CMake puts it in each postinst): the system user the daemons run as, and
# its key directory. Both are kept when a package is removed or purged:
# the keys are the installation's identity.
if ! getent passwd anding >/dev/null; then
  adduser --system --group --home /var/lib/anding --no-create-home \
    --gecos "Anding (安定) daemons" anding >/dev/null
fi
install -d -o anding -g anding -m 0750 /var/lib/anding
install -d -o anding -g anding -m 0700 /etc/anding/keys
