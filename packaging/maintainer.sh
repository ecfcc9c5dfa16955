# shellcheck shell=bash
# The packager of the kpatch tools' own packages, as "Name <email>", for
# their Maintainer (deb) and Packager (rpm) fields and copyright line:
# KPATCH_MAINTAINER, else DEBFULLNAME and DEBEMAIL, else the checkout's git
# user.name and user.email.  Sourced by build-tool-package and
# build-dkms-package.
package_maintainer() { # TOP -> stdout, or a reason on stderr and status 1
	local who=${KPATCH_MAINTAINER:-} name email
	if [ -z "$who" ] && [ -n "${DEBFULLNAME:-}" ] && [ -n "${DEBEMAIL:-}" ]; then
		who="$DEBFULLNAME <$DEBEMAIL>"
	fi
	if [ -z "$who" ] && name=$(git -C "$1" config user.name 2>/dev/null) &&
		email=$(git -C "$1" config user.email 2>/dev/null); then
		who="$name <$email>"
	fi
	if ! [[ "$who" =~ ^[^%\&\\$'\n'\<]+\ \<[^%\&\\$'\n'\<\>@]+@[^%\&\\$'\n'\<\>@]+\>$ ]]; then
		echo "no maintainer 'Name <email>' (got '$who'): set KPATCH_MAINTAINER, or DEBFULLNAME and DEBEMAIL" >&2
		return 1
	fi
	echo "$who"
}
