// Package unpack opens containers found in a message and appends their members
// to the message as parts: zip (with ZipCrypto and WinZip AES passwords), 7z,
// rar, tar, gzip, bzip2, xz, zstd, cabinets (cab.go), xar (xar.go: macOS
// installer packages), cpio (cpio.go), ARJ (arj.go), LHA (lzh.go), ISO 9660 and UDF images, OLE compound files with
// their VBA macro source, Outlook .msg messages (msg.go: bodies, named
// attachments, embedded messages), OOXML/ODF (as zip), RTF embedded objects, PDF
// streams and embedded files, OneNote embedded files, files an iCalendar
// object carries inline and the text its events show (ics.go), Word documents saved as one XML file
// (officexml.go: Flat OPC parts, Word 2003 XML binData), ActiveMime blobs
// (activemime.go: the compound file inside), a Word or Excel web archive
// (MHT, also after a PDF: MalDoc in PDF) read again as the message it is,
// a web archive a browser opens (webarchive.go: .mht, .mhtml, Save as MHTML),
// an Excel Power Query DataMashup (datamashup.go: its package parts, whose
// Formulas/Section1.m is the M code), and mail attached as .eml. It is the only package that imports archive libraries.
//
// Paths. A member's path is the container's path plus "/" plus the member's
// name inside the container, so "2/invoice.zip/docs/x.docm/vba/Module1" is a
// macro module of x.docm inside invoice.zip, which is MIME part 2. When the
// container is a MIME part its filename is inserted first (or its kind, such
// as "zip", when it has none). Names are sanitised for paths (no control or
// bidi characters, no "." or ".." segments, capped length); Part.Filename
// keeps the member's declared base name for heuristics. Nothing is written to
// disk: every format is read from memory.
//
// Limits. Everything is bounded per message by Limits; hitting a limit adds
// an unscannable Problem naming the limit and the part, and is never silently
// clean:
//
//	limit-depth        a container nested deeper than MaxDepth (default 8), or
//	                   a compound file whose storages nest deeper than 32
//	limit-members      more than MaxMembers members in the message (default 2000),
//	                   or a compound file directory of more than 65536 entries
//	limit-total-size   more than MaxTotalBytes expanded (default 64 MiB)
//	limit-member-size  one member larger than MaxMemberBytes (default 32 MiB)
//	limit-ratio        a member expanding more than MaxRatio times its packed
//	                   size once past 1 MiB (default 200)
//	limit-time         unpacking took longer than Timeout (default 10 s)
//
// The size defaults keep 64 concurrent messages under about 4 GiB of member
// data in the worst case. Declared sizes are never trusted: every member is
// read through a bounded reader that counts what actually comes out.
//
// Other outcomes: "corrupt-archive" (a container that fails to open or read),
// "encrypted-archive" (no candidate password opened it; the container part has
// Encrypted set, and members whose names are known are listed as empty parts
// with Encrypted set), and "unsupported-container" (a format we recognise but
// cannot open: differencing VHD/VHDX, ReFS and other disk volumes,
// cabinet folders compressed with LZX or Quantum, archive and compressor
// formats recognised and not opened (ACE, zoo, ARC and PKPAK, StuffIt,
// ALZ, EGG, zpaq), a part of no format Kensa knows named as an archive or a volume (.arj, .ace, .z, .pak, .sit, .uc2,
// .r01, .a01, .z01, .001 and the like: a format Kensa does not recognise,
// or one damaged so that the sniffer misses it while its archiver, which
// searches further, may not),
// UDF metadata partitions, unknown PDF filters, OneNote
// file data Kensa cannot find or packaging it does not read). All
// are unscannable. A container
// whose bytes equal one already opened is not opened again ("duplicate-container",
// not unscannable): identical bytes give identical members, and this defeats
// 42.zip-style nested bombs cheaply. Zip entries that share compressed data
// (the overlapping-entry bomb) make the zip corrupt-archive.
//
// Formats in detail: zip via archive/zip with our ZipCrypto and WinZip AES
// decryption (from APPNOTE and the AE-x notes; bzip2, zstd and xz methods
// registered; Deflate64, which Explorer writes for large files, by our own
// decoder, deflate64.go; LZMA via ulikunitz/xz/lzma, ziplzma.go, its window
// no larger than the member nor 64 MiB; a member in PPMd (variant I: the
// PPMd reader in the module graph, stangelandcl/ppmd, reads 7z's variant H
// only), Implode, Shrink or Reduce, which other tools read, is
// unsupported-container naming the method, an unknown method
// corrupt-archive); 7z via bodgit/sevenzip; rar 4 and 5 via nwaples/rardecode
// (dictionary capped at 128 MiB); ARJ by our own reader (arj.go; no Go
// module reads it): methods 0 to 3 and 4, each header's CRC-32 checked as
// arj and 7-Zip check it, each member's CRC-32 after it is read, names as
// stored (DOS "\" and "/" both separate folders); methods 1 to 3 by the
// LZ77 and static Huffman decoder LHA's -lh5- to -lh7- use (lzhuff.go, a
// fixed 64 KiB window whatever a header claims, a table that is not
// exactly complete refused); a member in another method is an empty part
// and unsupported-container naming the method, and so is a member
// continued in another volume (.a01...), read as far as this volume goes;
// LHA (.lzh, .lha) by our own reader (lzh.go): header levels 0 to 3
// (checksums of levels 0 and 1 checked; extended headers walked forward
// only, within the header or the archive, each at least its own fields
// long), the name from the filename and folder extended headers (0xFF
// separating folders), methods -lh0-, -lz4- and -pm0- (stored), -lh4- to
// -lh7- (lzhuff.go) and -lhd- (folders); each member's CRC-16 checked; a
// member in another method (-lh1- to -lh3-, LArc's -lzs- and -lz5-, PMarc's)
// is an empty part and unsupported-container naming the method;
// Unix compress (.Z) by our own LZW reader (lzw.go: compress/lzw is
// another LZW), as ncompress's uncompress reads it, and a 9-bit stream also
// as 7-Zip reads it where the two differ (ambiguous); lzip (lzip.go) via
// ulikunitz/xz/lzma under a synthesised .lzma header, the window no larger
// than the member limit nor 64 MiB, every member's CRC-32 and sizes checked;
// lz4 frames and the legacy format via pierrec/lz4 (no goroutines of its
// own), block and content checksums checked; each one member named after
// the container;
// xz via ulikunitz/xz (LZMA2 dictionary over
// 64 MiB refused before decoding); zstd via klauspost/compress (64 MiB window);
// ISO 9660 by our own reader (iso.go: the Joliet tree Windows shows, Rock
// Ridge names Linux shows, the plain ISO 9660 names); OLE via
// richardlehane/mscfb, with MS-OVBA decompression of the VBA modules (our own)
// and the file inside Ole10Native package objects, and each embedded
// object's storage (oleobject.go: a storage in ObjectPool, an MBD* storage,
// a storage with a class, with OLE's own streams or with a document's or
// object's main stream, down to 32 storages below the root) read as the
// root of a compound file of its own, below a member named by its storage
// path that carries its class (Part.OLEClass), within the depth limit; an
// Outlook .msg (a compound
// file with a __properties_version1.0 stream and __substg1.0_ streams at the
// root) by msg.go as Outlook shows it (an OLE attachment's storage read by
// openOffice as a compound file of its own is), its compressed RTF body by our own
// MS-OXRTFCP decoder (lzfu.go) and the HTML an RTF body encapsulates by
// rtfhtml.go; PDF, RTF and OneNote by our
// own forgiving scanners. OneNote (onenote.go): each FileDataStoreObject
// is a member named by the EmbeddedFileName properties (MS-ONE; read only as
// the value of that PropertyID in a property set that parses to its end,
// never from page text): with as many names as files the N-th name names the
// N-th file, otherwise every file carries every name (Filename, AltNames);
// "embedded-N" when the section names none. A section in the alternative
// packaging (MS-ONESTORE 2.8, as OneDrive serves it; onepack.go, our own
// reader of its MS-FSSHTTPB stream objects and data elements) has every
// object data BLOB and every object of a file data partition read as a
// member; pictures (by their JCID) are "picture-N" and take no name, a BLOB
// no object refers to is "blob-N". A malformed packaging is corrupt-archive;
// a fragmented data element, file data left out of the package, an unknown
// object type, more than 2^20 stream objects or 2^14 file data objects is
// unsupported-container,
// and what was read before stays a member. A section that names files but
// holds no file data Kensa finds gives each name as an empty member and is
// unsupported-container. So is a section with
// names past what is read (256 names, a work budget) or carried (more than
// 17 names that cannot be paired, for a part's name and 16 AltNames). A PDF's decodable streams (not images or fonts) are
// joined into one member "streams"; embedded files are members of their own.
// PDF names are read with #xx escapes decoded, object streams are opened,
// and every standard filter applies (pdfsyntax/filter.go; LZW with EarlyChange 1
// via golang.org/x/image/tiff/lzw). A stream that cannot be decoded is
// unsupported-container (unknown filter) or corrupt-archive (bad data). An
// encrypted PDF (Standard security handler: RC4, AES-128, AES-256; R2–R6)
// is opened with the empty user password, then with the message's
// passwords (pdfsyntax/crypt.go, standard library crypto); one that stays shut is
// encrypted-archive. A tar without the ustar magic (V7) is
// recognised by its header checksum (filetype) and read by archive/tar.
//
// Readings. A container is read the way each tool that opens it reads it,
// and every member any reading finds is a part. Zip: the archive Explorer
// reads (the last end record), every other archive an end record describes
// (concatenated zips, a zip behind a stub), a zip inside a file of no
// container kind or a PDF (self-extracting programs, polyglots), and a walk
// of the local headers, which finds members no central directory lists and
// local names that differ from the central ones. Each header's name is also
// read as 7-Zip, Info-ZIP unzip and libarchive read it (zipnames.go): cut at
// a NUL, and replaced by an Info-ZIP Unicode Path extra field (0x7075) of
// either header, whatever its version, CRC and bit 11 say (each tool
// honours it under other conditions; the union is read); a member named as
// a folder that carries data is read as the file those fields make of it.
// Tar (tar.go): archive/tar reads the members, a walk of the raw headers
// adds the names GNU tar, bsdtar and 7-Zip show (PAX and GNU long names
// both, global PAX paths, PAX paths cut at a NUL), the members of types
// they extract as files (7, unknown types) and the members behind a PAX
// header archive/tar refuses. RAR 4 (rarnames.go): a name ended at a NUL
// and the OEM name beside the Unicode one, as WinRAR and 7-Zip show them.
// Gzip: the header's name (7-Zip) and the container's name without .gz
// (gunzip, macOS), when that has an extension. 7z: an item with data is a
// file whatever its attributes say, as 7-Zip reads it.
// When readings differ the
// container's Part.Ambiguous says how; the heuristic check
// container-ambiguous reports it. A member tools show under several names
// is one part: the other names are its AltNames, which every name check
// reads. ISO: each file is read under the name Windows shows (UDF, else
// Joliet), with a Rock Ridge name (Linux) that differs, or an ISO 9660 name
// with another extension, among its AltNames; a file only one tree lists is
// read too. UDF (udf.go, our own reader; no
// maintained Go library reads it) is a third tree, the one Windows shows of
// a UDF or bridge disc. Virtual hard disks (vhd.go: fixed and dynamic
// VHD, VHDX), which Windows mounts with a double click, are read as the
// disk they describe, through a reader of their blocks (a sparse disk
// costs what it stores); disk.go finds the volumes (an MBR with its
// logical partitions, the primary GPT and its backup, which Windows uses
// when the primary is damaged, or a volume from the first sector on), and
// fat.go reads FAT12/16/32 volumes as Windows does (long names where their
// checksum holds, else the 8.3 name; the 8.3 name is an AltName),
// exfat.go exFAT volumes (also a raw .img holding one: macOS mounts it)
// through fat.go's cluster walk, boot region checksum (else the backup),
// allocation bitmap, up-case table, entry set checksums and name hashes,
// NoFatChain runs, valid data then zeros, and ntfs.go NTFS volumes with
// go-ntfs. Our own VHD, partition, FAT and exFAT readers: the one pure-Go
// VHD/VHDX reader found (aoiflux/libvhdi) is not served by the module
// proxy, go-diskfs reads FAT32 only, from a file, and no Go module reads
// exFAT from bytes. Differencing disks are unsupported-container; a VHDX
// with a log to replay is read before replaying it (container-ambiguous).
//
// Passwords (passwords.go). For encrypted zip, 7z, rar, ARJ and PDF containers Expand tries words found
// near "password" and its translations in the body's text parts, the
// subject, every part's file name and the text of attachments and archive
// members (text, HTML, XML, Office and OpenDocument text, PDF pages), each
// also read as its reader sees it (format characters dropped, compatibility
// forms and other scripts' digits folded), then Options.Passwords: at most
// 64 a message, MaxPasswordTries per container. Parts added as containers
// open are read for passwords before the next container is tried; a
// container left locked while parts remain to be read is set aside and
// tried again, with the passwords found since only, once the walk has read
// every part (retry.go: a password.txt in a 7z or rar attached after it,
// or in an archive inside one attached before it), its tries going on from
// the first run's, its first result put back when nothing new turned up. A
// container opened that way has UnlockedBy set to "body", "subject",
// "filename", "attachment" or "config".
// ARJ's garbling (arj -g: each packed byte XORed with a password byte plus
// a modifier byte of the header) is tried on the archive's smallest
// garbled member against its CRC-32; ARJ's GOST encryption (encryption
// version 2 and up) is never tried.
// Encrypted Office documents (officecrypt.go, ooxmlcrypt.go: OOXML
// Standard and Agile, RC4 and RC4 CryptoAPI .xls and .doc, XOR-obfuscated
// .xls, RC4 CryptoAPI .ppt) are tried with
// "VelvetSweatshop" first, then the same passwords, within
// MaxPasswordTries and a per-message budget of password hash rounds;
// one that stays shut is encrypted-document. So are OpenDocument files
// saved with a password (odfcrypt.go: AES-256-CBC, PBKDF2), whose members
// are decrypted in place.
package unpack
