/*
 * probe: a tiny static helper baked into the runtime-test image (local/busybox:test) for the
 * probes busybox cannot do portably. Built by scripts/build-test-images.sh with `gcc -static`.
 *
 *   probe ids          print "ruid=<n> euid=<n>"
 *   probe setuid       try setuid(0), then print "setuid0=ok|<errno name> ruid=<n> euid=<n>"
 *                      (installed a second time as /usr/local/bin/suid-probe, owned by root, mode 4755)
 *   probe rawsock      open an AF_INET/SOCK_RAW/ICMP socket (sends nothing): "rawsock=ok|<errno name>"
 *   probe mem <MiB>    allocate and touch <MiB> MiB, 1 MiB at a time, print "mem=<MiB>MiB" when done
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *err_name(int e) {
  switch (e) {
    case EPERM: return "EPERM";
    case EACCES: return "EACCES";
    case EAGAIN: return "EAGAIN";
    case ENOMEM: return "ENOMEM";
    default: return strerror(e);
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: probe ids|setuid|rawsock|mem <MiB>\n");
    return 64;
  }
  if (strcmp(argv[1], "ids") == 0) {
    printf("ruid=%d euid=%d\n", (int)getuid(), (int)geteuid());
    return 0;
  }
  if (strcmp(argv[1], "setuid") == 0) {
    int rc = setuid(0);
    int e = errno;
    printf("setuid0=%s ruid=%d euid=%d\n", rc == 0 ? "ok" : err_name(e), (int)getuid(), (int)geteuid());
    return rc == 0 ? 0 : 1;
  }
  if (strcmp(argv[1], "rawsock") == 0) {
    int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
    int e = errno;
    printf("rawsock=%s\n", fd >= 0 ? "ok" : err_name(e));
    if (fd >= 0) close(fd);
    return fd >= 0 ? 0 : 1;
  }
  if (strcmp(argv[1], "mem") == 0 && argc > 2) {
    long mib = atol(argv[2]);
    for (long i = 0; i < mib; i++) {
      char *p = malloc(1 << 20);
      if (p == NULL) {
        printf("mem=malloc-failed-at-%ldMiB\n", i);
        return 1;
      }
      memset(p, 0xa5, 1 << 20);
    }
    printf("mem=%ldMiB\n", mib);
    return 0;
  }
  fprintf(stderr, "probe: unknown command %s\n", argv[1]);
  return 64;
}
