"""The journey map's own words in the journey's language (``lang``), English for any other.

Only the map's vocabulary is here (lane names, persona, goal, wait, friction, outcomes, promise
states, the five emotion words, the four factors); the journey's own text is never translated.
Right-to-left text built from these words starts with a RIGHT-TO-LEFT MARK, so a renderer lays the
line out right to left even when the value after ``:`` starts with a Latin letter or a digit.
"""

from __future__ import annotations

from journeymap.model import RTL_LANGUAGES

RLM = "\u200f"

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "angry": "angry", "frustrated": "frustrated", "neutral": "neutral", "pleased": "pleased", "delighted": "delighted",
        "persona": "persona", "goal": "goal", "wait": "wait", "friction": "friction",
        "success": "success", "lost": "lost", "steps": "steps", "actions": "doing",
        "thoughts": "thinking", "emotion": "feeling", "pain_points": "pain points",
        "opportunities": "opportunities", "backstage": "backstage", "hotspot": "hotspot",
        "promise": "promise", "made": "made here", "due": "kept here", "kept": "kept",
        "at-risk": "at risk", "broken": "broken", "wrong channel": "wrong channel",
        "too slow": "too slow", "never reached": "never reached", "late or missed": "late or missed",
        "main path": "most likely path", "branch": "recovery and other branches",
        "no emotion": "no emotion recorded", "gap": "gap", "draft": "draft",
        "whole stage": "whole stage", "measured": "survey score ± margin",
        "product": "product", "people": "people", "time": "time", "resolution": "resolution",
    },
    "ar": {
        "angry": "غاضب", "frustrated": "محبط", "neutral": "محايد", "pleased": "راضٍ", "delighted": "سعيد جدًا",
        "persona": "الشخصية", "goal": "الهدف", "wait": "انتظار", "friction": "الاحتكاك",
        "success": "نجاح", "lost": "خسارة العميل", "steps": "الخطوات", "actions": "ما يفعله",
        "thoughts": "ما يفكر فيه", "emotion": "ما يشعر به", "pain_points": "نقاط الألم",
        "opportunities": "الفرص", "backstage": "خلف الكواليس", "hotspot": "نقطة ساخنة",
        "promise": "وعد", "made": "قُطع هنا", "due": "يُوفى به هنا", "kept": "تم الوفاء به",
        "at-risk": "معرض للخطر", "broken": "لم يُوفَ به", "wrong channel": "قناة خاطئة",
        "too slow": "بطيء جدًا", "never reached": "لا يُبلغ أبدًا", "late or missed": "متأخر أو فائت",
        "main path": "المسار الأرجح", "branch": "مسارات التعافي والفروع الأخرى",
        "no emotion": "لا شعور مسجل", "gap": "نقص", "draft": "مسودة", "whole stage": "المرحلة كلها",
        "measured": "درجة الاستبيان ± هامش الخطأ",
        "product": "المنتج", "people": "الأشخاص", "time": "الوقت", "resolution": "حل المشكلة",
    },
    "fa": {
        "angry": "عصبانی", "frustrated": "دلسرد", "neutral": "خنثی", "pleased": "راضی", "delighted": "بسیار خوشحال",
        "persona": "پرسونا", "goal": "هدف", "wait": "انتظار", "friction": "اصطکاک",
        "success": "موفقیت", "lost": "از دست رفته", "steps": "گام‌ها", "actions": "کارها",
        "thoughts": "فکرها", "emotion": "احساس", "pain_points": "نقاط درد",
        "opportunities": "فرصت‌ها", "backstage": "پشت صحنه", "hotspot": "نقطهٔ داغ",
        "promise": "وعده", "made": "اینجا داده شد", "due": "اینجا باید عمل شود", "kept": "عمل شد",
        "at-risk": "در خطر", "broken": "شکسته", "wrong channel": "کانال اشتباه",
        "too slow": "بسیار کند", "never reached": "هرگز نمی‌رسد", "late or missed": "دیر یا از دست رفته",
        "main path": "محتمل‌ترین مسیر", "branch": "مسیرهای جبران و شاخه‌های دیگر",
        "no emotion": "احساسی ثبت نشده", "gap": "جای خالی", "draft": "پیش‌نویس",
        "whole stage": "کل مرحله", "measured": "امتیاز نظرسنجی ± حاشیه خطا",
        "product": "محصول", "people": "افراد", "time": "زمان", "resolution": "حل مشکل",
    },
    "th": {
        "angry": "โกรธ", "frustrated": "หงุดหงิด", "neutral": "เฉยๆ", "pleased": "พอใจ", "delighted": "ดีใจมาก",
        "persona": "เพอร์โซนา", "goal": "เป้าหมาย", "wait": "รอ", "friction": "ความยุ่งยาก",
        "success": "สำเร็จ", "lost": "เสียลูกค้า", "steps": "ขั้นตอน", "actions": "สิ่งที่ทำ",
        "thoughts": "สิ่งที่คิด", "emotion": "ความรู้สึก", "pain_points": "จุดที่เป็นปัญหา",
        "opportunities": "โอกาส", "backstage": "เบื้องหลัง", "hotspot": "จุดวิกฤต",
        "promise": "คำสัญญา", "made": "ให้สัญญาที่นี่", "due": "ต้องรักษาสัญญาที่นี่",
        "kept": "รักษาสัญญา", "at-risk": "มีความเสี่ยง", "broken": "ผิดสัญญา",
        "wrong channel": "ผิดช่องทาง", "too slow": "ช้าเกินไป", "never reached": "ไปไม่ถึง",
        "late or missed": "ช้าหรือพลาด", "main path": "เส้นทางที่เป็นไปได้มากที่สุด",
        "branch": "เส้นทางแก้ไขและทางแยกอื่น", "no emotion": "ไม่มีข้อมูลความรู้สึก",
        "gap": "ช่องว่าง", "draft": "ฉบับร่าง", "whole stage": "ทั้งช่วง", "measured": "คะแนนแบบสำรวจ ± ค่าคลาดเคลื่อน",
        "product": "ผลิตภัณฑ์", "people": "บุคลากร", "time": "เวลา", "resolution": "การแก้ปัญหา",
    },
    "lv": {
        "angry": "dusmīgs", "frustrated": "neapmierināts", "neutral": "neitrāls", "pleased": "apmierināts", "delighted": "sajūsmā",
        "persona": "persona", "goal": "mērķis", "wait": "gaidīšana", "friction": "berze",
        "success": "izdevies", "lost": "zaudēts", "steps": "soļi", "actions": "dara",
        "thoughts": "domā", "emotion": "jūt", "pain_points": "sāpju punkti",
        "opportunities": "iespējas", "backstage": "aizkulises", "hotspot": "karstais punkts",
        "promise": "solījums", "made": "dots šeit", "due": "jāizpilda šeit", "kept": "izpildīts",
        "at-risk": "apdraudēts", "broken": "lauzts", "wrong channel": "nepareizs kanāls",
        "too slow": "par lēnu", "never reached": "nekad nesasniedz",
        "late or missed": "nokavēts vai izlaists", "main path": "ticamākais ceļš",
        "branch": "atkopšanās un citi zari", "no emotion": "emocija nav norādīta", "gap": "robs",
        "draft": "melnraksts", "whole stage": "viss posms", "measured": "aptaujas vērtējums ± kļūdas robeža",
        "product": "produkts", "people": "cilvēki", "time": "laiks", "resolution": "risinājums",
    },
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
