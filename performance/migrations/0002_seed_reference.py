"""Reference data: the budget nomenclature of urusan 1.06 Sosial for a kabupaten/kota
(Kepmendagri 050-5889/2021 and its updates: program, kegiatan, sub kegiatan), the five SPM
services of Permensos 9/2018, and the default rating (Permendagri 86/2017) and effectiveness
bands. All of it stays editable; the data is kept here so that this migration never changes."""

from decimal import Decimal

from django.db import migrations

PROGRAMS = [
    ("1.06.01", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota"),
    ("1.06.02", "Program Pemberdayaan Sosial"),
    ("1.06.03", "Program Penanganan Warga Negara Migran Korban Tindak Kekerasan"),
    ("1.06.04", "Program Rehabilitasi Sosial"),
    ("1.06.05", "Program Perlindungan dan Jaminan Sosial"),
    ("1.06.06", "Program Penanganan Bencana"),
    ("1.06.07", "Program Pengelolaan Taman Makam Pahlawan"),
]

KEGIATAN = [
    ("1.06.01.2.01", "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah"),
    ("1.06.01.2.02", "Administrasi Keuangan Perangkat Daerah"),
    ("1.06.01.2.03", "Administrasi Barang Milik Daerah pada Perangkat Daerah"),
    ("1.06.01.2.05", "Administrasi Kepegawaian Perangkat Daerah"),
    ("1.06.01.2.06", "Administrasi Umum Perangkat Daerah"),
    ("1.06.01.2.07", "Pengadaan Barang Milik Daerah Penunjang Urusan Pemerintah Daerah"),
    ("1.06.01.2.08", "Penyediaan Jasa Penunjang Urusan Pemerintahan Daerah"),
    ("1.06.01.2.09", "Pemeliharaan Barang Milik Daerah Penunjang Urusan Pemerintahan Daerah"),
    ("1.06.02.2.02", "Pengumpulan Sumbangan dalam Daerah Kabupaten/Kota"),
    ("1.06.02.2.03", "Pengembangan Potensi Sumber Kesejahteraan Sosial Daerah Kabupaten/Kota"),
    (
        "1.06.03.2.01",
        "Pemulangan Warga Negara Migran Korban Tindak Kekerasan dari Titik Debarkasi di Daerah "
        "Kabupaten/Kota untuk Dipulangkan ke Desa/Kelurahan Asal",
    ),
    (
        "1.06.04.2.01",
        "Rehabilitasi Sosial Dasar Penyandang Disabilitas Terlantar, Anak Terlantar, Lanjut Usia "
        "Terlantar, serta Gelandangan Pengemis di Luar Panti Sosial",
    ),
    (
        "1.06.04.2.02",
        "Rehabilitasi Sosial Penyandang Masalah Kesejahteraan Sosial (PMKS) Lainnya Bukan Korban "
        "HIV/AIDS dan NAPZA di Luar Panti Sosial",
    ),
    ("1.06.05.2.01", "Pemeliharaan Anak-Anak Terlantar"),
    ("1.06.05.2.02", "Pengelolaan Data Fakir Miskin Cakupan Daerah Kabupaten/Kota"),
    ("1.06.06.2.01", "Perlindungan Sosial Korban Bencana Alam dan Sosial Kabupaten/Kota"),
    (
        "1.06.06.2.02",
        "Penyelenggaraan Pemberdayaan Masyarakat terhadap Kesiapsiagaan Bencana Kabupaten/Kota",
    ),
    ("1.06.07.2.01", "Pemeliharaan Taman Makam Pahlawan Nasional Kabupaten/Kota"),
]

SUB_KEGIATAN = [
    ("1.06.01.2.01.0001", "Penyusunan Dokumen Perencanaan Perangkat Daerah"),
    ("1.06.01.2.01.0002", "Koordinasi dan Penyusunan Dokumen RKA-SKPD"),
    ("1.06.01.2.01.0003", "Koordinasi dan Penyusunan Dokumen Perubahan RKA-SKPD"),
    ("1.06.01.2.01.0004", "Koordinasi dan Penyusunan DPA-SKPD"),
    ("1.06.01.2.01.0005", "Koordinasi dan Penyusunan Perubahan DPA-SKPD"),
    (
        "1.06.01.2.01.0006",
        "Koordinasi dan Penyusunan Laporan Capaian Kinerja dan Ikhtisar Realisasi Kinerja SKPD",
    ),
    ("1.06.01.2.01.0007", "Evaluasi Kinerja Perangkat Daerah"),
    ("1.06.01.2.02.0001", "Penyediaan Gaji dan Tunjangan ASN"),
    ("1.06.01.2.02.0003", "Pelaksanaan Penatausahaan dan Pengujian/Verifikasi Keuangan SKPD"),
    ("1.06.01.2.02.0005", "Koordinasi dan Penyusunan Laporan Keuangan Akhir Tahun SKPD"),
    ("1.06.01.2.03.0005", "Rekonsiliasi dan Penyusunan Laporan Barang Milik Daerah pada SKPD"),
    ("1.06.01.2.05.0005", "Monitoring, Evaluasi, dan Penilaian Kinerja Pegawai"),
    ("1.06.01.2.05.0009", "Pendidikan dan Pelatihan Pegawai Berdasarkan Tugas dan Fungsi"),
    ("1.06.01.2.06.0001", "Penyediaan Komponen Instalasi Listrik/Penerangan Bangunan Kantor"),
    ("1.06.01.2.06.0002", "Penyediaan Peralatan dan Perlengkapan Kantor"),
    ("1.06.01.2.06.0004", "Penyediaan Bahan Logistik Kantor"),
    ("1.06.01.2.06.0005", "Penyediaan Barang Cetakan dan Penggandaan"),
    ("1.06.01.2.06.0006", "Penyediaan Bahan Bacaan dan Peraturan Perundang-undangan"),
    ("1.06.01.2.06.0007", "Penyediaan Bahan/Material"),
    ("1.06.01.2.06.0009", "Penyelenggaraan Rapat Koordinasi dan Konsultasi SKPD"),
    ("1.06.01.2.07.0005", "Pengadaan Mebel"),
    ("1.06.01.2.07.0006", "Pengadaan Peralatan dan Mesin Lainnya"),
    ("1.06.01.2.08.0001", "Penyediaan Jasa Surat Menyurat"),
    ("1.06.01.2.08.0002", "Penyediaan Jasa Komunikasi, Sumber Daya Air dan Listrik"),
    ("1.06.01.2.08.0004", "Penyediaan Jasa Pelayanan Umum Kantor"),
    (
        "1.06.01.2.09.0002",
        "Penyediaan Jasa Pemeliharaan, Biaya Pemeliharaan, Pajak dan Perizinan Kendaraan Dinas "
        "Operasional atau Lapangan",
    ),
    ("1.06.01.2.09.0006", "Pemeliharaan Peralatan dan Mesin Lainnya"),
    ("1.06.01.2.09.0009", "Pemeliharaan/Rehabilitasi Gedung Kantor dan Bangunan Lainnya"),
    (
        "1.06.02.2.02.0001",
        "Penerbitan Izin Undian Gratis Berhadiah dan Pengumpulan Uang atau Barang dalam Daerah "
        "Kabupaten/Kota",
    ),
    (
        "1.06.02.2.03.0001",
        "Peningkatan Kemampuan Potensi Pekerja Sosial Masyarakat Kewenangan Kabupaten/Kota",
    ),
    (
        "1.06.02.2.03.0002",
        "Peningkatan Kemampuan Potensi Tenaga Kesejahteraan Sosial Kecamatan Kewenangan "
        "Kabupaten/Kota",
    ),
    (
        "1.06.02.2.03.0003",
        "Peningkatan Kemampuan Potensi Sumber Kesejahteraan Sosial Keluarga Kewenangan "
        "Kabupaten/Kota",
    ),
    (
        "1.06.02.2.03.0004",
        "Peningkatan Kemampuan Potensi Sumber Kesejahteraan Sosial Kelembagaan Masyarakat "
        "Kewenangan Kabupaten/Kota",
    ),
    (
        "1.06.02.2.03.0005",
        "Peningkatan Kemampuan Sumber Daya Manusia dan Penguatan Lembaga Konsultasi "
        "Kesejahteraan Keluarga (LK3)",
    ),
    (
        "1.06.03.2.01.0001",
        "Fasilitasi Pemulangan Warga Negara Migran Korban Tindak Kekerasan dari Titik Debarkasi "
        "di Daerah Kabupaten/Kota untuk Dipulangkan ke Desa/Kelurahan Asal",
    ),
    ("1.06.04.2.01.0001", "Penyediaan Permakanan"),
    ("1.06.04.2.01.0002", "Penyediaan Sandang"),
    ("1.06.04.2.01.0003", "Penyediaan Alat Bantu"),
    ("1.06.04.2.01.0005", "Pemberian Bimbingan Fisik, Mental, Spiritual, dan Sosial"),
    (
        "1.06.04.2.01.0006",
        "Pemberian Bimbingan Sosial kepada Keluarga Penyandang Disabilitas Terlantar, Anak "
        "Terlantar, Lanjut Usia Terlantar, serta Gelandangan Pengemis dan Masyarakat",
    ),
    (
        "1.06.04.2.01.0007",
        "Fasilitasi Pembuatan Nomor Induk Kependudukan, Akta Kelahiran, Surat Nikah, dan Kartu "
        "Identitas Anak",
    ),
    ("1.06.04.2.01.0008", "Pemberian Akses ke Layanan Pendidikan dan Kesehatan Dasar"),
    ("1.06.04.2.01.0009", "Pemberian Layanan Data dan Pengaduan"),
    ("1.06.04.2.01.0011", "Pemberian Pelayanan Penelusuran Keluarga"),
    ("1.06.04.2.01.0012", "Pemberian Pelayanan Reunifikasi Keluarga"),
    ("1.06.04.2.02.0001", "Pemberian Layanan Data dan Pengaduan"),
    ("1.06.04.2.02.0002", "Pemberian Layanan Kedaruratan"),
    ("1.06.04.2.02.0003", "Penyediaan Permakanan"),
    ("1.06.04.2.02.0004", "Penyediaan Sandang"),
    ("1.06.04.2.02.0007", "Pemberian Bimbingan Fisik, Mental, Spiritual, dan Sosial"),
    (
        "1.06.04.2.02.0008",
        "Pemberian Bimbingan Sosial kepada Keluarga Penyandang Masalah Kesejahteraan Sosial "
        "(PMKS) Lainnya Bukan Korban HIV/AIDS dan NAPZA",
    ),
    ("1.06.04.2.02.0011", "Pemberian Layanan Rujukan"),
    ("1.06.05.2.01.0001", "Penjangkauan Anak-Anak Terlantar"),
    ("1.06.05.2.01.0002", "Rujukan Anak-Anak Terlantar"),
    ("1.06.05.2.02.0001", "Pendataan Fakir Miskin Cakupan Daerah Kabupaten/Kota"),
    ("1.06.05.2.02.0002", "Pengelolaan Data Fakir Miskin Cakupan Daerah Kabupaten/Kota"),
    ("1.06.05.2.02.0003", "Fasilitasi Bantuan Sosial Kesejahteraan Keluarga"),
    ("1.06.05.2.02.0004", "Fasilitasi Bantuan Pengembangan Ekonomi Masyarakat"),
    ("1.06.06.2.01.0001", "Penyediaan Makanan"),
    ("1.06.06.2.01.0002", "Penyediaan Sandang"),
    ("1.06.06.2.01.0003", "Penyediaan Tempat Penampungan Pengungsi"),
    ("1.06.06.2.01.0004", "Penanganan Khusus bagi Kelompok Rentan"),
    ("1.06.06.2.01.0005", "Pelayanan Dukungan Psikososial"),
    ("1.06.06.2.02.0001", "Koordinasi, Sosialisasi dan Pelaksanaan Kampung Siaga Bencana"),
    ("1.06.06.2.02.0002", "Koordinasi, Sosialisasi dan Pelaksanaan Taruna Siaga Bencana"),
    (
        "1.06.07.2.01.0001",
        "Rehabilitasi Sarana dan Prasarana Taman Makam Pahlawan Nasional Kabupaten/Kota",
    ),
    ("1.06.07.2.01.0002", "Pemeliharaan Taman Makam Pahlawan Nasional Kabupaten/Kota"),
]

SPM_SERVICES = [
    (
        "SPM-1",
        "Rehabilitasi sosial dasar penyandang disabilitas terlantar di luar panti",
        "Penyandang disabilitas terlantar",
        "rehsos",
    ),
    (
        "SPM-2",
        "Rehabilitasi sosial dasar anak terlantar di luar panti",
        "Anak terlantar",
        "rehsos",
    ),
    (
        "SPM-3",
        "Rehabilitasi sosial dasar lanjut usia terlantar di luar panti",
        "Lanjut usia terlantar",
        "rehsos",
    ),
    (
        "SPM-4",
        "Rehabilitasi sosial dasar gelandangan dan pengemis di luar panti",
        "Gelandangan dan pengemis",
        "rehsos",
    ),
    (
        "SPM-5",
        "Perlindungan dan jaminan sosial pada saat dan setelah tanggap darurat bencana bagi "
        "korban bencana kabupaten/kota",
        "Korban bencana alam dan bencana sosial",
        "linjamsos",
    ),
]

# (scale, label, lower bound, bound included, colour)
BANDS = [
    ("rating", "Sangat Tinggi", "91", True, "success"),
    ("rating", "Tinggi", "76", True, "primary"),
    ("rating", "Sedang", "66", True, "info"),
    ("rating", "Rendah", "51", True, "warning"),
    ("rating", "Sangat Rendah", None, True, "danger"),
    ("effectiveness", "Sangat Efektif", "100", False, "success"),
    ("effectiveness", "Efektif", "80", True, "primary"),
    ("effectiveness", "Cukup Efektif", "60", True, "info"),
    ("effectiveness", "Tidak Efektif", "40", True, "warning"),
    ("effectiveness", "Sangat Tidak Efektif", None, True, "danger"),
]


def seed_nomenclature(apps, schema_editor):
    Program = apps.get_model("performance", "Program")
    Kegiatan = apps.get_model("performance", "Kegiatan")
    SubKegiatan = apps.get_model("performance", "SubKegiatan")
    programs = {}
    for code, name in PROGRAMS:
        programs[code], _created = Program.objects.update_or_create(
            code=code, defaults={"name": name}
        )
    kegiatan = {}
    for code, name in KEGIATAN:
        kegiatan[code], _created = Kegiatan.objects.update_or_create(
            code=code, defaults={"name": name, "program": programs[code[:7]]}
        )
    for code, name in SUB_KEGIATAN:
        SubKegiatan.objects.update_or_create(
            code=code, defaults={"name": name, "kegiatan": kegiatan[code[:12]]}
        )


def seed_spm_services(apps, schema_editor):
    SpmService = apps.get_model("performance", "SpmService")
    Bidang = apps.get_model("accounts", "Bidang")
    for order, (code, name, target_group, bidang_code) in enumerate(SPM_SERVICES, start=1):
        SpmService.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "target_group": target_group,
                "bidang": Bidang.objects.get(code=bidang_code),
                "order": order,
            },
        )


def seed_bands(apps, schema_editor):
    Band = apps.get_model("performance", "Band")
    if Band.objects.exists():
        return
    for order, (scale, label, lower, inclusive, tone) in enumerate(BANDS, start=1):
        Band.objects.create(
            scale=scale,
            label=label,
            lower_bound=Decimal(lower) if lower is not None else None,
            lower_inclusive=inclusive,
            tone=tone,
            order=order,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0001_initial"),
        ("accounts", "0002_seed_bidang"),
    ]
    operations = [
        migrations.RunPython(seed_nomenclature, migrations.RunPython.noop),
        migrations.RunPython(seed_spm_services, migrations.RunPython.noop),
        migrations.RunPython(seed_bands, migrations.RunPython.noop),
    ]
