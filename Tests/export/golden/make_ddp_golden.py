#!/usr/bin/env python3
# Builds the expected DDP bytes for the small disc in Tests/export/DdpImageTests.cpp, field by
# field from the DDP 2.0 tables (see Source/export/DdpImage.h for where they come from), with no
# Crest code involved. The CD-Text CRCs come from Python's binascii.crc_hqx (CRC-16/CCITT,
# polynomial 0x1021), inverted as CD-Text stores them. Run it from this folder to regenerate.
#
# The disc: EAN 5012345678900, catalogue number CREST-001, album "Golden" by "Crest";
#   track 1: INDEX 00 at 0, INDEX 01 at 150 (00:02:00), INDEX 02 at 450 (00:06:00),
#            ISRC GBABC2400012, "One" by "Crest"
#   track 2: INDEX 00 at 900 (00:12:00), INDEX 01 at 975 (00:13:00), copy permitted, "Two"
#   lead-out at 1500 (00:20:00)
import binascii

def sp(n): return ' ' * n

ean = '5012345678900'
# EAN-13 check digit of 501234567890: weights 1,3,1,3... from the left:
# 5+0*3+1+2*3+3+4*3+5+6*3+7+8*3+9+0*3 = 5+0+1+6+3+12+5+18+7+24+9+0 = 90 -> check digit 0.
ddpid = ('DDP 2.00' + ean + sp(8) + sp(8) + sp(1) + 'CREST-001'.ljust(48) + sp(1) + 'CD' + '1' + '0' + '1' + '0'
         + sp(2) + sp(33))
assert len(ddpid) == 128

def map_packet(dst, dsl, dss, sub, cdm, ssm, scr, name):
    p = ('VVVM' + dst + sp(8) + dsl + dss + sub + cdm + ssm + scr + sp(4) + sp(4) + sp(4) + sp(1) + sp(2) + sp(2)
         + sp(12) + '017' + name.ljust(17) + sp(37))
    assert len(p) == 128, len(p)
    return p

def pq(track, index, mmssff, cb1, isrc='', upc=''):
    p = 'VVVS' + track + index + '00' + mmssff + cb1 + sp(2) + isrc.ljust(12) + upc.ljust(13) + sp(19)
    assert len(p) == 64
    return p

pqdescr = (pq('00', '00', '000000', '01', upc=ean)
           + pq('01', '00', '000000', '01', isrc='GBABC2400012')
           + pq('01', '01', '000200', '01')
           + pq('01', '02', '000600', '01')
           + pq('02', '00', '001200', '21')
           + pq('02', '01', '001300', '21')
           + pq('AA', '01', '002000', '01'))
assert len(pqdescr) == 7 * 64

def pack(t, track, seq, pos, text):
    body = bytes([t, track, seq, pos]) + text.ljust(12, b'\0')
    crc = binascii.crc_hqx(body, 0) ^ 0xFFFF
    return body + bytes([crc >> 8, crc & 0xFF])

packs = [
    # 0x80 titles: "Golden\0One\0Two\0" = 15 bytes -> 2 packs
    pack(0x80, 0, 0, 0, b'Golden\0One\0T'),
    pack(0x80, 2, 1, 1, b'wo\0'),           # first byte is the 2nd character of track 2's title
    # 0x81 performers: "Crest\0Crest\0\0" = 13 bytes -> 2 packs
    pack(0x81, 0, 2, 0, b'Crest\0Crest\0'),
    pack(0x81, 2, 3, 0, b'\0'),
    # 0x8E codes: EAN then ISRCs: "5012345678900\0GBABC2400012\0\0" = 28 bytes -> 3 packs
    pack(0x8E, 0, 4, 0, b'501234567890'),
    pack(0x8E, 0, 5, 12, b'0\0GBABC24000'),
    pack(0x8E, 1, 6, 10, b'12\0\0'),         # first byte is the 11th character of track 1's ISRC
]
# Size information: ASCII (0x01), tracks 1-2, no copyright flags; pack counts 0x80:2 0x81:2
# 0x8E:3 0x8F:3; last sequence number 9; language English (0x09).
size = bytes([0x01, 1, 2, 0x00, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 9, 0, 0, 0, 0, 0, 0, 0,
              0x09, 0, 0, 0, 0, 0, 0, 0])
for i in range(3):
    packs.append(pack(0x8F, i, 7 + i, 0, size[i * 12:(i + 1) * 12]))
cdtext = b''.join(packs)
assert len(cdtext) == 180

ddpms = (map_packet('D0', '00001500', '00000000', sp(8), 'DA', '0', '0', 'IMAGE.DAT')
         + map_packet('S0', '%08d' % len(pqdescr), sp(8), 'PQ DESCR', sp(2), sp(1), sp(1), 'PQDESCR')
         + map_packet('S0', '%08d' % len(cdtext), sp(8), 'CDTEXT  ', sp(2), sp(1), sp(1), 'CDTEXT.BIN'))

for name, data in (('DDPID', ddpid.encode()), ('DDPMS', ddpms.encode()), ('PQDESCR', pqdescr.encode()),
                   ('CDTEXT.BIN', cdtext)):
    open('small-disc.' + name, 'wb').write(data)
