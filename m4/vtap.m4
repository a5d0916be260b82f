# vtap.m4: configure checks for ovs-vtap.

dnl VTAP_ENABLE_WERROR
dnl
dnl --enable-Werror turns the project's own warnings into errors.
AC_DEFUN([VTAP_ENABLE_WERROR],
  [AC_ARG_ENABLE([Werror],
     [AS_HELP_STRING([--enable-Werror], [treat warnings as errors])],
     [], [enable_Werror=no])
   AS_IF([test "$enable_Werror" = yes], [VTAP_WERROR=-Werror], [VTAP_WERROR=])
   AC_SUBST([VTAP_WERROR])])

dnl VTAP_WITH_OVS_SOURCE
dnl
dnl Finds the pristine Open vSwitch 3.1.0 source: a directory or a .tar.gz
dnl given with --with-ovs-source, or by default the tarball that Debian's
dnl openvswitch-source package installs.  Sets OVS_SOURCE.
AC_DEFUN([VTAP_WITH_OVS_SOURCE],
  [AC_ARG_WITH([ovs-source],
     [AS_HELP_STRING([--with-ovs-source=DIR|TARBALL],
        [pristine Open vSwitch 3.1.0 source tree or .tar.gz
         @<:@/usr/src/openvswitch/openvswitch.tar.gz@:>@])],
     [OVS_SOURCE=$withval],
     [OVS_SOURCE=/usr/src/openvswitch/openvswitch.tar.gz])
   AS_CASE([$OVS_SOURCE],
     [/*], [],
     [OVS_SOURCE=`pwd`/$OVS_SOURCE])
   AS_IF([test -d "$OVS_SOURCE" || test -f "$OVS_SOURCE"], [],
     [AC_MSG_ERROR([no Open vSwitch source at $OVS_SOURCE: install Debian's openvswitch-source package or give --with-ovs-source=DIR])])
   AC_ARG_VAR([OVS_CONFIGURE_ARGS],
     [extra arguments for Open vSwitch's own configure])])

dnl VTAP_PREPARE_OVS_TREE
dnl
dnl Unpacks (or copies) OVS_SOURCE into ovs-pristine/ and ovs/ in the build
dnl directory unless they already hold it, syncs ovs/ with the ovs-ext patch
dnl series and runs Open vSwitch's configure there.  Substitutes the paths and
dnl the warning flags that the project's own code uses.
AC_DEFUN([VTAP_PREPARE_OVS_TREE],
  [AC_REQUIRE([VTAP_WITH_OVS_SOURCE])
   vtap_builddir=`pwd`
   OVS_PRISTINE=$vtap_builddir/ovs-pristine
   OVS_BUILDDIR=$vtap_builddir/ovs
   OVS_SRCDIR=$OVS_BUILDDIR

   dnl A tarball is known by its checksum too, so that an updated
   dnl openvswitch-source package at the same path is unpacked again.
   vtap_source_id=$OVS_SOURCE
   AS_IF([test -f "$OVS_SOURCE"],
     [vtap_source_id="$OVS_SOURCE `sha256sum < "$OVS_SOURCE" | cut -d' ' -f1`"])
   AC_MSG_CHECKING([whether ovs-pristine/ holds $OVS_SOURCE])
   AS_IF([test -f "$OVS_PRISTINE/.ovs-vtap-source" &&
          test "`cat "$OVS_PRISTINE/.ovs-vtap-source"`" = "$vtap_source_id"],
     [AC_MSG_RESULT([yes])],
     [AC_MSG_RESULT([no, unpacking it])
      rm -rf "$OVS_PRISTINE" "$OVS_BUILDDIR" ovs-stock
      mkdir "$OVS_PRISTINE" || AC_MSG_ERROR([cannot create $OVS_PRISTINE])
      AS_IF([test -d "$OVS_SOURCE"],
        [(cd "$OVS_SOURCE" && tar cf - --exclude=.git .) | (cd "$OVS_PRISTINE" && tar xf -)],
        [tar xzf "$OVS_SOURCE" -C "$OVS_PRISTINE" --strip-components=1])
      AS_IF([test $? -eq 0 && test -f "$OVS_PRISTINE/configure.ac"], [],
        [AC_MSG_ERROR([cannot unpack Open vSwitch from $OVS_SOURCE])])
      echo "$vtap_source_id" > "$OVS_PRISTINE/.ovs-vtap-source"])

   AC_MSG_CHECKING([Open vSwitch version])
   OVS_VERSION=`sed -n 's/^A[[C]]_INIT(openvswitch, *\([[^,]]*\),.*/\1/p' "$OVS_PRISTINE/configure.ac"`
   AC_MSG_RESULT([$OVS_VERSION])
   AS_IF([test "$OVS_VERSION" = 3.1.0], [],
     [AC_MSG_ERROR([ovs-ext patches Open vSwitch 3.1.0, but $OVS_SOURCE is version '$OVS_VERSION'])])
   AS_IF([test -f "$OVS_PRISTINE/configure"], [],
     [AC_MSG_ERROR([$OVS_SOURCE has no configure script: run its boot.sh first])])

   AS_IF([test -f "$OVS_BUILDDIR/configure"], [],
     [AC_MSG_NOTICE([copying the Open vSwitch source into ovs/])
      cp -a "$OVS_PRISTINE" "$OVS_BUILDDIR" ||
        AC_MSG_ERROR([cannot copy $OVS_PRISTINE to $OVS_BUILDDIR])])

   AC_MSG_NOTICE([applying the ovs-ext patch series to ovs/])
   "$srcdir/ovs-ext/ovs-tree-sync" "$OVS_PRISTINE" "$OVS_BUILDDIR" \
       "$srcdir/ovs-ext" || AC_MSG_ERROR([the ovs-ext patch series does not apply])

   dnl Open vSwitch installs under the same prefix; its directories are
   dnl expanded here since its configure has a prefix of its own.
   vtap_save_prefix=$prefix
   test "x$prefix" = xNONE && prefix=$ac_default_prefix
   eval vtap_localstatedir="\"$localstatedir\""
   eval vtap_sysconfdir="\"$sysconfdir\""
   OVS_CONFIGURE_FLAGS="--prefix=$prefix --localstatedir=$vtap_localstatedir --sysconfdir=$vtap_sysconfdir --enable-silent-rules $OVS_CONFIGURE_ARGS"
   prefix=$vtap_save_prefix
   AC_SUBST([OVS_CONFIGURE_FLAGS])
   dnl Configuring OVS again with the same arguments would only make it
   dnl rebuild everything.
   vtap_ovs_args="$OVS_CONFIGURE_FLAGS CC=$CC CFLAGS=$CFLAGS CPPFLAGS=$CPPFLAGS LDFLAGS=$LDFLAGS"
   AS_IF([test -f "$OVS_BUILDDIR/Makefile" &&
          test -f "$OVS_BUILDDIR/.ovs-vtap-configure-args" &&
          test "`cat "$OVS_BUILDDIR/.ovs-vtap-configure-args"`" = "$vtap_ovs_args"],
     [AC_MSG_NOTICE([Open vSwitch in ovs/ is already configured with: $OVS_CONFIGURE_FLAGS])],
     [AC_MSG_NOTICE([configuring Open vSwitch in ovs/: $OVS_CONFIGURE_FLAGS])
      rm -f "$OVS_BUILDDIR/.ovs-vtap-configure-args"
      (cd "$OVS_BUILDDIR" &&
       eval "./configure $OVS_CONFIGURE_FLAGS" CC="'$CC'" CFLAGS="'$CFLAGS'" \
            CPPFLAGS="'$CPPFLAGS'" LDFLAGS="'$LDFLAGS'") \
          > ovs-configure.log 2>&1 ||
        AC_MSG_ERROR([Open vSwitch's configure failed: see ovs-configure.log])
      echo "$vtap_ovs_args" > "$OVS_BUILDDIR/.ovs-vtap-configure-args"])

   OVS_WARNING_FLAGS=`sed -n 's/^WARNING_FLAGS = //p' "$OVS_BUILDDIR/Makefile"`
   AC_MSG_CHECKING([Open vSwitch's warning flags])
   AC_MSG_RESULT([$OVS_WARNING_FLAGS])

   AC_SUBST([OVS_SOURCE])
   AC_SUBST([OVS_PRISTINE])
   AC_SUBST([OVS_SRCDIR])
   AC_SUBST([OVS_BUILDDIR])
   AC_SUBST([OVS_WARNING_FLAGS])])
