/*
 * iface.c: one live capture handle per interface, written to a classic
 * pcap file with nanosecond timestamps, flushed after every batch, and
 * cut back to the last complete record after a write error (ENOSPC).
 */
#include "config.h"

#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"

/* On-disk sizes of the classic pcap format (libpcap sf-pcap.c). */
#define PCAP_FILE_HDR	24
#define PCAP_REC_HDR	16
/* stdio buffer of each file: a batch is written with few write(2)s. */
#define CAP_STDIO_BUF	(256 * 1024)
/* Batches per handle per wake-up, so one busy handle cannot starve another. */
#define CAP_MAX_BATCHES	8

const char *
iface_role_name(enum cap_role r)
{
	return r == CAP_MGMT ? "mgmt" : "ext";
}

/*
 * Say clearly when an interface is missing or down, before libpcap gives
 * its more general messages. Return 0 when it exists and is up.
 */
static int
check_interface(const char *name, char *err, size_t errlen)
{
	struct ifreq ifr;
	int s;

	if (strcmp(name, "any") == 0)
		return 0;
	if (strlen(name) >= IFNAMSIZ) {
		snprintf(err, errlen, "%s: interface name too long", name);
		return -1;
	}
	if (if_nametoindex(name) == 0) {
		snprintf(err, errlen, "%s: no such interface", name);
		return -1;
	}
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;	/* let libpcap decide */
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		close(s);
		snprintf(err, errlen, "%s: interface is down", name);
		return -1;
	}
	close(s);
	return 0;
}

int
iface_open(struct cap_iface *ifc, const struct cap_opts *o, char *err,
    size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	pcap_t *p;
	int rc;

	if (check_interface(ifc->name, err, errlen) < 0)
		return -1;
	ebuf[0] = '\0';
	if ((p = pcap_create(ifc->name, ebuf)) == NULL) {
		snprintf(err, errlen, "%s: %s", ifc->name, ebuf);
		return -1;
	}
	pcap_set_snaplen(p, ifc->snaplen);
	pcap_set_promisc(p, o->promisc);
	pcap_set_timeout(p, CAP_TIMEOUT_MS);
	pcap_set_buffer_size(p, ifc->buffer_kib * 1024);
	if (o->immediate)
		pcap_set_immediate_mode(p, 1);
	/* Nanoseconds: the file magic follows the handle (0xa1b23c4d). */
	if (pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO) != 0) {
		snprintf(err, errlen, "%s: nanosecond time stamps not supported",
		    ifc->name);
		pcap_close(p);
		return -1;
	}
	rc = pcap_activate(p);
	if (rc < 0) {
		switch (rc) {
		case PCAP_ERROR_NO_SUCH_DEVICE:
			snprintf(err, errlen, "%s: no such interface",
			    ifc->name);
			break;
		case PCAP_ERROR_PERM_DENIED:
			snprintf(err, errlen, "%s: no permission to capture "
			    "(needs root or CAP_NET_RAW)", ifc->name);
			break;
		case PCAP_ERROR_IFACE_NOT_UP:
			snprintf(err, errlen, "%s: interface is down",
			    ifc->name);
			break;
		default:
			snprintf(err, errlen, "%s: %s", ifc->name,
			    pcap_geterr(p));
			break;
		}
		pcap_close(p);
		return -1;
	}
	if (rc > 0)
		cap_warn("%s: %s", ifc->name, rc == PCAP_WARNING ?
		    pcap_geterr(p) : pcap_statustostr(rc));

	if (pcap_compile(p, &prog, ifc->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		snprintf(err, errlen, "%s: filter \"%s\" does not compile: %s",
		    ifc->name, ifc->filter, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	if (pcap_setfilter(p, &prog) < 0) {
		snprintf(err, errlen, "%s: cannot set filter: %s", ifc->name,
		    pcap_geterr(p));
		pcap_freecode(&prog);
		pcap_close(p);
		return -1;
	}
	pcap_freecode(&prog);
	if (pcap_setnonblock(p, 1, ebuf) < 0) {
		snprintf(err, errlen, "%s: %s", ifc->name, ebuf);
		pcap_close(p);
		return -1;
	}
	ifc->selfd = pcap_get_selectable_fd(p);
	if (ifc->selfd < 0) {
		snprintf(err, errlen, "%s: no selectable descriptor", ifc->name);
		pcap_close(p);
		return -1;
	}
	ifc->p = p;
	ifc->dlt = pcap_datalink(p);
	ifc->fd = -1;
	return 0;
}

int
iface_open_output(struct cap_iface *ifc, int dirfd, const char *dir,
    int force, char *err, size_t errlen)
{
	FILE *f;
	char *buf;

	ifc->fd = out_create(dirfd, dir, ifc->file, force, err, errlen);
	if (ifc->fd < 0)
		return -1;
	if ((f = fdopen(ifc->fd, "w")) == NULL) {
		snprintf(err, errlen, "%s/%s: %s", dir, ifc->file,
		    strerror(errno));
		close(ifc->fd);
		ifc->fd = -1;
		return -1;
	}
	/* Our own buffer (setvbuf ignores the size when buf is NULL);
	 * freed after the FILE is closed. */
	if ((buf = malloc(CAP_STDIO_BUF)) != NULL) {
		if (setvbuf(f, buf, _IOFBF, CAP_STDIO_BUF) != 0)
			free(buf);
		else
			ifc->iobuf = buf;
	}
	if ((ifc->d = pcap_dump_fopen(ifc->p, f)) == NULL) {
		snprintf(err, errlen, "%s/%s: %s", dir, ifc->file,
		    pcap_geterr(ifc->p));
		fclose(f);
		free(ifc->iobuf);
		ifc->iobuf = NULL;
		ifc->fd = -1;
		return -1;
	}
	ifc->end = PCAP_FILE_HDR;
	if (pcap_dump_flush(ifc->d) != 0) {
		snprintf(err, errlen, "%s/%s: cannot write the file header: %s",
		    dir, ifc->file, strerror(errno));
		ifc->werr = errno ? errno : EIO;
		return -1;
	}
	ifc->flushed = ifc->end;
	return 0;
}

static void
on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct cap_iface *ifc = (struct cap_iface *)(void *)user;

	if (ifc->werr)
		return;
	pcap_dump((u_char *)ifc->d, h, bytes);
	ifc->written++;
	ifc->wire_bytes += h->len;
	ifc->end += PCAP_REC_HDR + h->caplen;
}

int
iface_dispatch(struct cap_iface *ifc, char *err, size_t errlen)
{
	int n, total = 0;

	if (ifc->done)
		return 0;
	for (int i = 0; i < CAP_MAX_BATCHES; i++) {
		n = pcap_dispatch(ifc->p, -1, on_packet, (u_char *)ifc);
		if (n < 0) {
			if (n == PCAP_ERROR_BREAK)
				break;
			snprintf(err, errlen, "%s: %s", ifc->name,
			    pcap_geterr(ifc->p));
			return -1;
		}
		if (n == 0)
			break;
		total += n;
	}
	if (total > 0 && !ifc->werr) {
		/* Flush every batch: a SIGKILL loses at most what the
		 * kernel still holds, never a half-written file. */
		errno = 0;
		if (pcap_dump_flush(ifc->d) != 0 ||
		    ferror(pcap_dump_file(ifc->d))) {
			ifc->werr = errno ? errno : EIO;
		} else {
			ifc->flushed = ifc->end;
			ifc->flushed_count = ifc->written;
		}
	}
	if (ifc->werr)
		return -2;
	return total;
}

void
iface_stats(struct cap_iface *ifc)
{
	if (ifc->p == NULL)
		return;
	if (pcap_stats(ifc->p, &ifc->st) == 0)
		ifc->have_stats = 1;
	else
		snprintf(ifc->stats_err, sizeof(ifc->stats_err), "%s",
		    pcap_geterr(ifc->p));
}

/*
 * After a failed write the file may end inside a record. Walk the
 * records from the last good flush and cut at the last whole one.
 * The file was written by this host, so its fields are in host order.
 */
static int
cut_to_last_record(struct cap_iface *ifc, int fd, char *err, size_t errlen)
{
	struct stat sb;
	unsigned char hdr[PCAP_REC_HDR];
	uint32_t caplen;
	off_t off;
	uint64_t count;

	if (fstat(fd, &sb) < 0) {
		snprintf(err, errlen, "%s: %s", ifc->path, strerror(errno));
		return -1;
	}
	if (sb.st_size < PCAP_FILE_HDR) {
		/* Not even the header: an empty file is the honest result. */
		if (ftruncate(fd, 0) < 0) {
			snprintf(err, errlen, "%s: %s", ifc->path,
			    strerror(errno));
			return -1;
		}
		ifc->flushed = 0;
		ifc->flushed_count = 0;
		return 0;
	}
	off = ifc->flushed;
	count = ifc->flushed_count;
	if (off > sb.st_size) {		/* should not happen; be safe */
		off = PCAP_FILE_HDR;
		count = 0;
	}
	while (off + PCAP_REC_HDR <= sb.st_size) {
		if (pread(fd, hdr, sizeof(hdr), off) != (ssize_t)sizeof(hdr))
			break;
		memcpy(&caplen, hdr + 8, sizeof(caplen));
		if (caplen > (uint32_t)ifc->snaplen ||
		    off + PCAP_REC_HDR + (off_t)caplen > sb.st_size)
			break;
		off += PCAP_REC_HDR + (off_t)caplen;
		count++;
	}
	if (off != sb.st_size && ftruncate(fd, off) < 0) {
		snprintf(err, errlen, "%s: cannot cut the partial record: %s",
		    ifc->path, strerror(errno));
		return -1;
	}
	ifc->flushed = off;
	ifc->flushed_count = count;
	return 0;
}

int
iface_close(struct cap_iface *ifc, char *err, size_t errlen)
{
	int fd, rc = 0;

	if (ifc->d == NULL)
		return 0;
	if (!ifc->werr) {
		errno = 0;
		if (pcap_dump_flush(ifc->d) != 0 ||
		    ferror(pcap_dump_file(ifc->d)))
			ifc->werr = errno ? errno : EIO;
		else {
			ifc->flushed = ifc->end;
			ifc->flushed_count = ifc->written;
			if (fsync(ifc->fd) < 0 && errno != EINVAL &&
			    errno != EROFS)
				ifc->werr = errno;
		}
	}
	if (!ifc->werr) {
		pcap_dump_close(ifc->d);
		ifc->d = NULL;
		ifc->fd = -1;
		ifc->done = 1;
		free(ifc->iobuf);
		ifc->iobuf = NULL;
		return 0;
	}
	/* Keep our own descriptor: fclose() may write part of the rest. */
	fd = dup(ifc->fd);
	pcap_dump_close(ifc->d);
	free(ifc->iobuf);
	ifc->iobuf = NULL;
	ifc->d = NULL;
	ifc->fd = -1;
	ifc->done = 1;
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", ifc->path, strerror(errno));
		return -1;
	}
	if (cut_to_last_record(ifc, fd, err, errlen) < 0)
		rc = -1;
	(void)fsync(fd);
	close(fd);
	return rc;
}
