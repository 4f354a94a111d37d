/// A realistic runc config.json (6.5 KB): the `runc spec` layout plus the fields Rundle writes
/// (hooks, resources with 64-bit limits, seccomp), escapes, non-ASCII text, and unknown fields.
let realisticConfigJSON = #"""
{
	"ociVersion": "1.0.2-dev",
	"process": {
		"terminal": false,
		"user": {
			"uid": 1000,
			"gid": 1000,
			"additionalGids": [5, 10, 27]
		},
		"args": [
			"/usr/local/bin/server",
			"--listen=0.0.0.0:8080",
			"--greeting=h\u00e9llo \"world\"\tand\\more"
		],
		"env": [
			"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"TERM=xterm",
			"HOME=/home/app",
			"LANG=C.UTF-8",
			"GREETING=café 😀"
		],
		"cwd": "/srv/app",
		"capabilities": {
			"bounding": [
				"CAP_CHOWN",
				"CAP_DAC_OVERRIDE",
				"CAP_FSETID",
				"CAP_FOWNER",
				"CAP_MKNOD",
				"CAP_NET_RAW",
				"CAP_SETGID",
				"CAP_SETUID",
				"CAP_SETFCAP",
				"CAP_SETPCAP",
				"CAP_NET_BIND_SERVICE",
				"CAP_SYS_CHROOT",
				"CAP_KILL",
				"CAP_AUDIT_WRITE"
			],
			"effective": [
				"CAP_CHOWN",
				"CAP_DAC_OVERRIDE",
				"CAP_FSETID",
				"CAP_FOWNER",
				"CAP_MKNOD",
				"CAP_NET_RAW",
				"CAP_SETGID",
				"CAP_SETUID",
				"CAP_SETFCAP",
				"CAP_SETPCAP",
				"CAP_NET_BIND_SERVICE",
				"CAP_SYS_CHROOT",
				"CAP_KILL",
				"CAP_AUDIT_WRITE"
			],
			"permitted": [
				"CAP_CHOWN",
				"CAP_DAC_OVERRIDE",
				"CAP_FSETID",
				"CAP_FOWNER",
				"CAP_MKNOD",
				"CAP_NET_RAW",
				"CAP_SETGID",
				"CAP_SETUID",
				"CAP_SETFCAP",
				"CAP_SETPCAP",
				"CAP_NET_BIND_SERVICE",
				"CAP_SYS_CHROOT",
				"CAP_KILL",
				"CAP_AUDIT_WRITE"
			],
			"inheritable": [
				"CAP_CHOWN",
				"CAP_DAC_OVERRIDE",
				"CAP_FSETID",
				"CAP_FOWNER",
				"CAP_MKNOD",
				"CAP_NET_RAW",
				"CAP_SETGID",
				"CAP_SETUID",
				"CAP_SETFCAP",
				"CAP_SETPCAP",
				"CAP_NET_BIND_SERVICE",
				"CAP_SYS_CHROOT",
				"CAP_KILL",
				"CAP_AUDIT_WRITE"
			],
			"ambient": [
				"CAP_CHOWN",
				"CAP_DAC_OVERRIDE",
				"CAP_FSETID",
				"CAP_FOWNER",
				"CAP_MKNOD",
				"CAP_NET_RAW",
				"CAP_SETGID",
				"CAP_SETUID",
				"CAP_SETFCAP",
				"CAP_SETPCAP",
				"CAP_NET_BIND_SERVICE",
				"CAP_SYS_CHROOT",
				"CAP_KILL",
				"CAP_AUDIT_WRITE"
			]
		},
		"rlimits": [
			{
				"type": "RLIMIT_NOFILE",
				"hard": 1048576,
				"soft": 1048576
			},
			{
				"type": "RLIMIT_CORE",
				"hard": 18446744073709551615,
				"soft": 0
			}
		],
		"noNewPrivileges": true,
		"oomScoreAdj": -500,
		"apparmorProfile": "rundle-default"
	},
	"root": {
		"path": "rootfs",
		"readonly": true
	},
	"hostname": "app-1",
	"mounts": [
		{
			"destination": "/proc",
			"type": "proc",
			"source": "proc"
		},
		{
			"destination": "/dev",
			"type": "tmpfs",
			"source": "tmpfs",
			"options": ["nosuid", "strictatime", "mode=755", "size=65536k"]
		},
		{
			"destination": "/dev/pts",
			"type": "devpts",
			"source": "devpts",
			"options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]
		},
		{
			"destination": "/dev/shm",
			"type": "tmpfs",
			"source": "shm",
			"options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]
		},
		{
			"destination": "/dev/mqueue",
			"type": "mqueue",
			"source": "mqueue",
			"options": ["nosuid", "noexec", "nodev"]
		},
		{
			"destination": "/sys",
			"type": "sysfs",
			"source": "sysfs",
			"options": ["nosuid", "noexec", "nodev", "ro"]
		},
		{
			"destination": "/sys/fs/cgroup",
			"type": "cgroup",
			"source": "cgroup",
			"options": ["nosuid", "noexec", "nodev", "relatime", "ro"]
		},
		{
			"destination": "/srv/data",
			"type": "bind",
			"source": "/var/lib/rundle/volumes/data",
			"options": ["rbind", "rw"]
		}
	],
	"hooks": {
		"createRuntime": [
			{
				"path": "/usr/libexec/rundle/netns-hook",
				"args": ["netns-hook", "--bridge=rundle0"],
				"env": ["RUNDLE_STATE=/run/rundle"],
				"timeout": 10
			}
		],
		"poststop": [
			{
				"path": "/usr/libexec/rundle/cleanup-hook"
			}
		]
	},
	"annotations": {
		"org.opencontainers.image.ref.name": "app:1.4.2",
		"io.rundle.created-by": "rundle",
		"io.rundle.note": "path/with/slashes and unicode é",
		"io.rundle.image.digest": "sha256:4c1f8a8e2d0b7e3b9f5a6c7d8e9f00112233445566778899aabbccddeeff0011",
		"io.rundle.restart-policy": "on-failure:5",
		"io.rundle.log-path": "/var/log/rundle/app-1/events.jsonl"
	},
	"linux": {
		"uidMappings": [
			{ "containerID": 0, "hostID": 100000, "size": 65536 }
		],
		"gidMappings": [
			{ "containerID": 0, "hostID": 100000, "size": 65536 }
		],
		"sysctl": {
			"net.ipv4.ip_unprivileged_port_start": "0",
			"net.core.somaxconn": "1024"
		},
		"resources": {
			"devices": [
				{
					"allow": false,
					"access": "rwm"
				},
				{
					"allow": true,
					"type": "c",
					"major": 1,
					"minor": 3,
					"access": "rwm"
				}
			],
			"memory": {
				"limit": 9223372036854771712,
				"reservation": 268435456,
				"swap": -1,
				"swappiness": 0
			},
			"cpu": {
				"shares": 1024,
				"quota": -1,
				"period": 100000,
				"cpus": "0-1"
			},
			"pids": {
				"limit": 4096
			},
			"unified": {
				"memory.high": "max",
				"io.weight": "default 100"
			}
		},
		"cgroupsPath": "rundle.slice:app:1",
		"namespaces": [
			{ "type": "pid" },
			{ "type": "network", "path": "/run/netns/app-1" },
			{ "type": "ipc" },
			{ "type": "uts" },
			{ "type": "mount" },
			{ "type": "cgroup" },
			{ "type": "user" }
		],
		"seccomp": {
			"defaultAction": "SCMP_ACT_ERRNO",
			"defaultErrnoRet": 1,
			"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
			"syscalls": [
				{
					"names": ["accept", "accept4", "bind", "brk", "clone", "close", "connect", "epoll_wait", "exit_group", "fstat", "futex", "getpid", "mmap", "openat", "read", "write", "getdents64", "getrandom", "ioctl", "lseek", "madvise", "mprotect", "munmap", "nanosleep", "pipe2", "poll", "prctl", "pread64", "pwrite64", "recvfrom", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sendto", "set_robust_list", "set_tid_address", "setsockopt", "socket", "stat", "uname", "wait4"],
					"action": "SCMP_ACT_ALLOW"
				},
				{
					"names": ["personality"],
					"action": "SCMP_ACT_ALLOW",
					"args": [
						{ "index": 0, "value": 4294967295, "valueTwo": 0, "op": "SCMP_CMP_EQ" }
					]
				}
			]
		},
		"maskedPaths": [
			"/proc/acpi",
			"/proc/asound",
			"/proc/kcore",
			"/proc/keys",
			"/proc/latency_stats",
			"/proc/timer_list",
			"/proc/timer_stats",
			"/proc/sched_debug",
			"/sys/firmware",
			"/proc/scsi"
		],
		"readonlyPaths": [
			"/proc/bus",
			"/proc/fs",
			"/proc/irq",
			"/proc/sys",
			"/proc/sysrq-trigger"
		],
		"rootfsPropagation": "private"
	},
	"x-rundle": {
		"schema": 3,
		"ratio": 0.75,
		"tiny": 1.5e-7,
		"nothing": null,
		"empty": {},
		"none": []
	}
}

"""#
