"""The journey map's own words in the journey's language (``lang``), English for any other.

Only the map's vocabulary is here (lane names, persona, goal, wait, friction, outcomes, promise
states, the five emotion words, the four factors); the journey's own text is never translated.
Right-to-left text built from these words starts with a RIGHT-TO-LEFT MARK, so a renderer lays the
line out right to left even when the value after ``:`` starts with a Latin letter or a digit.
"""

from __future__ import annotations

from journeymap.model import RTL_LANGUAGES

RLM = "\u200f"

LANGUAGES = ("en", "ar", "fa", "th", "lv")

# a word's key: the word in each of LANGUAGES, in that order
TABLE: dict[str, tuple[str, str, str, str, str]] = {
    "angry": ("angry", "غاضب", "عصبانی", "โกรธ", "dusmīgs"),
    "frustrated": ("frustrated", "محبط", "دلسرد", "หงุดหงิด", "neapmierināts"),
    "neutral": ("neutral", "محايد", "خنثی", "เฉยๆ", "neitrāls"),
    "pleased": ("pleased", "راضٍ", "راضی", "พอใจ", "apmierināts"),
    "delighted": ("delighted", "سعيد جدًا", "بسیار خوشحال", "ดีใจมาก", "sajūsmā"),
    "persona": ("persona", "الشخصية", "پرسونا", "เพอร์โซนา", "persona"),
    "goal": ("goal", "الهدف", "هدف", "เป้าหมาย", "mērķis"),
    "wait": ("wait", "انتظار", "انتظار", "รอ", "gaidīšana"),
    "friction": ("friction", "الاحتكاك", "اصطکاک", "ความยุ่งยาก", "berze"),
    "success": ("success", "نجاح", "موفقیت", "สำเร็จ", "izdevies"),
    "lost": ("lost", "خسارة العميل", "از دست رفته", "เสียลูกค้า", "zaudēts"),
    "steps": ("steps", "الخطوات", "گام‌ها", "ขั้นตอน", "soļi"),
    "actions": ("doing", "ما يفعله", "کارها", "สิ่งที่ทำ", "dara"),
    "thoughts": ("thinking", "ما يفكر فيه", "فکرها", "สิ่งที่คิด", "domā"),
    "emotion": ("feeling", "ما يشعر به", "احساس", "ความรู้สึก", "jūt"),
    "pain_points": ("pain points", "نقاط الألم", "نقاط درد", "จุดที่เป็นปัญหา", "sāpju punkti"),
    "opportunities": ("opportunities", "الفرص", "فرصت‌ها", "โอกาส", "iespējas"),
    "backstage": ("backstage", "خلف الكواليس", "پشت صحنه", "เบื้องหลัง", "aizkulises"),
    "hotspot": ("hotspot", "نقطة ساخنة", "نقطهٔ داغ", "จุดวิกฤต", "karstais punkts"),
    "promise": ("promise", "وعد", "وعده", "คำสัญญา", "solījums"),
    "made": ("made here", "قُطع هنا", "اینجا داده شد", "ให้สัญญาที่นี่", "dots šeit"),
    "due": ("kept here", "يُوفى به هنا", "اینجا باید عمل شود", "ต้องรักษาสัญญาที่นี่", "jāizpilda šeit"),
    "kept": ("kept", "تم الوفاء به", "عمل شد", "รักษาสัญญา", "izpildīts"),
    "at-risk": ("at risk", "معرض للخطر", "در خطر", "มีความเสี่ยง", "apdraudēts"),
    "broken": ("broken", "لم يُوفَ به", "شکسته", "ผิดสัญญา", "lauzts"),
    "wrong channel": ("wrong channel", "قناة خاطئة", "کانال اشتباه", "ผิดช่องทาง", "nepareizs kanāls"),
    "too slow": ("too slow", "بطيء جدًا", "بسیار کند", "ช้าเกินไป", "par lēnu"),
    "never reached": ("never reached", "لا يُبلغ أبدًا", "هرگز نمی‌رسد", "ไปไม่ถึง", "nekad nesasniedz"),
    "late or missed": ("late or missed", "متأخر أو فائت", "دیر یا از دست رفته", "ช้าหรือพลาด",
                       "nokavēts vai izlaists"),
    "main path": ("most likely path", "المسار الأرجح", "محتمل‌ترین مسیر", "เส้นทางที่เป็นไปได้มากที่สุด",
                  "ticamākais ceļš"),
    "branch": ("recovery and other branches", "مسارات التعافي والفروع الأخرى",
               "مسیرهای جبران و شاخه‌های دیگر", "เส้นทางแก้ไขและทางแยกอื่น", "atkopšanās un citi zari"),
    "no emotion": ("no emotion recorded", "لا شعور مسجل", "احساسی ثبت نشده", "ไม่มีข้อมูลความรู้สึก",
                   "emocija nav norādīta"),
    "gap": ("gap", "نقص", "جای خالی", "ช่องว่าง", "robs"),
    "draft": ("draft", "مسودة", "پیش‌نویس", "ฉบับร่าง", "melnraksts"),
    "whole stage": ("whole stage", "المرحلة كلها", "کل مرحله", "ทั้งช่วง", "viss posms"),
    "measured": ("survey score ± margin", "درجة الاستبيان ± هامش الخطأ", "امتیاز نظرسنجی ± حاشیه خطا",
                 "คะแนนแบบสำรวจ ± ค่าคลาดเคลื่อน", "aptaujas vērtējums ± kļūdas robeža"),
    "observed": ("observed in the log", "ما يظهر في السجل", "مشاهده‌شده در گزارش", "ที่พบในบันทึก",
                 "novērots žurnālā"),
    # the four factors, tagging a pain point that names one
    "product": ("product", "المنتج", "محصول", "ผลิตภัณฑ์", "produkts"),
    "people": ("people", "الأشخاص", "افراد", "บุคลากร", "cilvēki"),
    "time": ("time", "الوقت", "زمان", "เวลา", "laiks"),
    "resolution": ("resolution", "حل المشكلة", "حل مشکل", "การแก้ปัญหา", "risinājums"),
    # the observed lane and its note (render --observed EVENTS: mapview/observed.py)
    "visits per case": ("visits per case", "زيارات لكل حالة", "بازدید به ازای هر پرونده",
                        "ครั้งต่อราย", "apmeklējumi uz gadījumu"),
    "declared": ("declared", "المعلن", "اعلام‌شده", "ตามที่ระบุ", "deklarēts"),
    "seen": ("observed", "المرصود", "مشاهده‌شده", "ที่พบจริง", "novērots"),
    "not declared": ("not declared", "غير معلن", "اعلام‌نشده", "ไม่ได้ระบุไว้", "nav deklarēts"),
    "cases": ("cases", "حالة", "پرونده", "ราย", "gadījumi"),
    "failure": ("failure", "إخفاق", "شکست", "ความล้มเหลว", "kļūme"),
    "median": ("median", "الوسيط", "میانه", "มัธยฐาน", "mediāna"),
    "slower": ("slower", "أبطأ", "کندتر", "ช้ากว่า", "lēnāk"),
    "faster": ("faster", "أسرع", "سریع‌تر", "เร็วกว่า", "ātrāk"),
    "kept in time": ("kept in time", "وُفي به في الوقت", "به‌موقع عمل شد", "รักษาสัญญาทันเวลา",
                     "izpildīts laikā"),
    "nobody reached it": ("nobody reached it", "لم يبلغه أحد", "کسی به آن نرسید", "ไม่มีใครไปถึง",
                          "neviens to nesasniedza"),
    "fitness": ("fitness", "المطابقة", "انطباق", "ความสอดคล้อง", "atbilstība"),
    "no mapped events": ("no mapped events", "لا أحداث مطابقة", "هیچ رویداد منطبقی نیست",
                         "ไม่มีเหตุการณ์ที่จับคู่ได้", "nav piesaistītu notikumu"),
    "flag note": ("! marks a figure outside its interval or off its declared time",
                  "! تعني رقمًا خارج فترته أو بعيدًا عن وقته المعلن",
                  "! یعنی رقمی بیرون از بازه‌اش یا دور از زمان اعلام‌شده‌اش",
                  "! หมายถึงตัวเลขที่อยู่นอกช่วงหรือคลาดจากเวลาที่ระบุไว้",
                  "! atzīmē skaitli ārpus tā intervāla vai atšķirīgu no deklarētā laika"),
}

WORDS: dict[str, dict[str, str]] = {
    lang: {key: row[column] for key, row in TABLE.items()} for column, lang in enumerate(LANGUAGES)
}


def base_language(lang: str | None) -> str:
    return (lang or "en").replace("_", "-").split("-")[0].lower()


def emotion_key(value: int) -> str:
    return ("angry", "frustrated", "neutral", "pleased", "delighted")[value + 2]


class Words:
    """``words["friction"]``: the map's word in the journey's language."""

    def __init__(self, lang: str | None) -> None:
        base = base_language(lang)
        self.table = WORDS.get(base, WORDS["en"])
        self.rtl = base in RTL_LANGUAGES

    def __getitem__(self, key: str) -> str:
        """The word; English when this language lacks it; a lane added elsewhere without words
        here (``measured_score``) is named by its key."""
        return self.table.get(key) or WORDS["en"].get(key) or key.replace("_", " ")

    def line(self, text: str) -> str:
        """A line the map builds from words and values, marked right to left in an RTL journey."""
        return RLM + text if self.rtl else text

    def fact(self, key: str, value: str) -> str:
        """``persona: …`` with the colon on the side it belongs in the journey's script."""
        return self.line(f"{self[key]}: {value}")
