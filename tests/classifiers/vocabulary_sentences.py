"""Sentences written for the vocabulary tests (not taken from any news item or evaluation file).

Per language: one sentence on the topic (men lured or recruited to fight in a war abroad,
mercenaries, foreign fighters) and one near miss that shares words with it but is not on topic.
"""

SENTENCES: dict[str, tuple[str, str]] = {
    "en": (
        "Police say the racket was luring young men with fake job offers and trafficking them"
        " to fight for Russia",
        "Police say the gang was trafficking women for sexual exploitation across the border",
    ),
    "ru": (
        "Вербовщики обманом отправляли иностранцев воевать на фронт",
        "Полиция задержала группу, занимавшуюся сексуальной эксплуатацией женщин",
    ),
    "uk": (
        "Найманців з Африки завербували воювати за Росію",
        "Відбувся черговий обмін полоненими між Україною та Росією",
    ),
    "ar": (
        "اتهامات بتجنيد شبان سوريين للقتال في صفوف الجيش الروسي في أوكرانيا",
        "الشرطة تفكك شبكة للدعارة والاستغلال الجنسي",
    ),
    "fa": (
        "گزارش‌ها از استخدام مزدوران افغان برای جنگ در اوکراین حکایت دارد",
        "پلیس یک باند قاچاق مهاجران را در مرز متلاشی کرد",
    ),
    "ur": (
        "پاکستانی نوجوانوں کو دھوکے سے روسی فوج میں بھرتی کر کے جنگ میں بھیجا گیا",
        "پاکستان اور بھارت کے درمیان کرکٹ میچ بارش کی وجہ سے منسوخ",
    ),
    "hi": (
        "नौकरी का झांसा देकर भारतीय युवकों को रूसी सेना में भर्ती कराया गया",
        "साइबर ठगी के मामले में पुलिस ने तीन लोगों को गिरफ्तार किया",
    ),
    "ne": (
        "रुसी सेनामा भर्ना भएका नेपाली युवाहरू युद्धमा मारिए",
        "काठमाडौंमा आज हल्का वर्षा हुने मौसम पूर्वानुमान",
    ),
    "bn": (
        "চাকরির প্রলোভন দেখিয়ে বাংলাদেশি যুবকদের রাশিয়ার সেনাবাহিনীতে যুদ্ধে পাঠানো হয়েছে",
        "ঢাকায় আজ বৃষ্টির সম্ভাবনা রয়েছে বলে জানিয়েছে আবহাওয়া অফিস",
    ),
    "si": (
        "රුසියානු හමුදාවට බඳවාගත් ශ්‍රී ලාංකිකයන් යුද්ධයේදී මිය ගියහ",
        "ශ්‍රී ලංකා යුද හමුදාව නව සොල්දාදුවන් බඳවා ගැනීමට සූදානම්",
    ),
    "ta": (
        "வேலை தருவதாக ஏமாற்றி இந்திய இளைஞர்கள் ரஷ்ய ராணுவத்தில் சேர்க்கப்பட்டனர்",
        "சென்னையில் இன்று கனமழை பெய்யும் என வானிலை மையம் தெரிவித்துள்ளது",
    ),
    "es": (
        "Reclutaron a jóvenes cubanos con engaños para combatir en Ucrania con el ejército ruso",
        "La policía desmantela una red de explotación sexual de mujeres",
    ),
    "pt": (
        "Brasileiros foram aliciados para lutar na guerra da Ucrânia como mercenários",
        "Polícia resgata trabalhadores em condição de trabalho escravo em fazenda",
    ),
    "fr": (
        "Des recruteurs ont piégé de jeunes Africains envoyés au front dans l'armée russe",
        "Nouvel échange de prisonniers entre Moscou et Kiev",
    ),
    "de": (
        "Söldner aus Nepal wurden mit falschen Versprechen für Russland an die Front gelockt",
        "Die Polizei hat eine Schleuserbande an der Grenze zerschlagen",
    ),
    "nl": (
        "Jonge mannen werden geronseld om als huurling voor Rusland te vechten",
        "Het Russische leger heeft opnieuw een dorp in Oekraïne beschoten",
    ),
    "it": (
        "Giovani stranieri reclutati come mercenari e mandati al fronte dall'esercito russo",
        "La polizia ha arrestato una banda dedita allo sfruttamento sessuale",
    ),
    "pl": (
        "Rosja werbuje najemników z Azji do walki na froncie w Ukrainie",
        "Kolejna wymiana jeńców między Rosją a Ukrainą",
    ),
    "ro": (
        "Tineri străini au fost recrutați ca mercenari să lupte pentru Rusia",
        "A avut loc un nou schimb de prizonieri între Rusia și Ucraina",
    ),
    "cs": (
        "Rusko verbuje žoldáky z Afriky do války na Ukrajině",
        "Proběhla další výměna zajatců mezi Ruskem a Ukrajinou",
    ),
    "sr": (
        "Plaćenici iz Srbije ratovali su u Ukrajini na strani Rusije",
        "Beograd danas očekuje sunčano i toplo vreme",
    ),
    "tr": (
        "Yabancı savaşçılar Rusya saflarında savaşmak için kandırıldı",
        "Rusya ile Ukrayna arasında yeni bir esir takası gerçekleşti",
    ),
    "uz": (
        "O'zbek yigitlari aldab Rossiya armiyasiga yollanib urushga yuborilgan",
        "O'zbekiston fuqarolari Rossiyada ishga yollanib, qurilishda ishlamoqda",
    ),
    "kk": (
        "Қазақстан азаматтары жалдамалы ретінде Ресей армиясы қатарында соғысқан",
        "Қазақстан азаматтары Ресейде жұмысқа жалданып жүр",
    ),
    "ky": (
        "Кыргыз жарандары алдап орус армиясына жалданып согушка жөнөтүлгөн",
        "Кыргыз жарандары Орусияда курулушка жалданып иштешет",
    ),
    "tg": (
        "Муҳоҷирони тоҷикро фирефта ба ҷанг дар Украина фиристоданд",
        "Муҳоҷирони тоҷикро ба кор дар Русия ҷалб мекунанд",
    ),
    "ko": (
        "북한군이 러시아 쿠르스크에 파병되어 전투에 참가했다",
        "외국인 선수 영입으로 팀 전력이 강화됐다",
    ),
    "zh": (
        "多名外国人被骗到俄罗斯参战成为雇佣兵",
        "警方破获一起电诈案件，解救多名被困人员",
    ),
    "ja": (
        "ロシア軍に勧誘された外国人が傭兵として戦争に参加している",
        "特殊詐欺の拠点で働かされていた日本人が保護された",
    ),
    "sw": (
        "Wakenya walidanganywa kwa ahadi za kazi na kupelekwa kupigana vita nchini Urusi",
        "Wakenya walidanganywa kwa ahadi za kazi Saudi Arabia na kuishia kuwa wafanyakazi wa ndani",
    ),
    "am": (
        "ኢትዮጵያውያን ወጣቶች ተታለው ለሩሲያ ጦር ለመዋጋት ተመልምለው ተልከዋል",
        "የሩሲያ ጦር በዩክሬን ግንባር ላይ አዳዲስ ወታደሮችን ልኳል",
    ),
    "so": (
        "Dhallinyaro Soomaali ah ayaa la khiyaamay oo loo diray inay u dagaallamaan Ruushka",
        "Ciidamada Ruushka iyo Ukraine ayaa dagaal culus ku dhexmaray safka hore",
    ),
    "ha": (
        "An yaudari matasa daga Najeriya zuwa sojojin Rasha domin yaƙi a Ukraine",
        "Rundunar sojin Najeriya ta fara daukar sabbin sojoji a fadin kasar",
    ),
    "id": (
        "Warga negara Indonesia direkrut menjadi tentara bayaran untuk berperang di Ukraina",
        "Polisi membongkar jaringan penipuan online di Jakarta",
    ),
    "no": (
        "Unge menn ble rekruttert som leiesoldater for å kjempe for Russland",
        "Ny fangeutveksling mellom Russland og Ukraina",
    ),
    "sv": (
        "Unga män rekryterades som legosoldater för att kämpa för Ryssland",
        "Ett nytt fångutbyte mellan Ryssland och Ukraina genomfördes",
    ),
    "da": (
        "Unge mænd blev hvervet som lejesoldater for at kæmpe for Rusland",
        "Ny fangeudveksling mellem Rusland og Ukraine",
    ),
    "yo": (
        "Wọ́n tan won je pelu ileri ise, won si ran won lo si oju ogun Russia",
        "Ọmọ ogun Russia àti Ukraine ń jà ní ojú ogun",
    ),
    "ka": (
        "ახალგაზრდები მოატყუეს და რუსეთის არმიაში გადაბირებით ომში გაგზავნეს",
        "ახალგაზრდები მოატყუეს და ყალბი ვიზებით ევროპაში გაგზავნეს",
    ),
    "ku": (
        "Ciwan bi soza kar hatin xapandin û ji bo şerê Ûkraynayê hatin şandin",
        "Rûsya û Ûkrayna guhertina dîlan kirin",
    ),
    "tk": (
        "Türkmen ýigitleri iş wadasy bilen aldanyp, Russiýanyň goşunyna hakyna tutulyp urşa ugradyldy",
        "Türkmen migrantlary Russiýada gurluşykda işlemek üçin hakyna tutuldy",
    ),
    "be": (
        "Мужчын падманам завабілі на вайну з абяцаннем працы",
        "Беларусаў падманам завабілі на працу ў Расію, дзе ў іх адабралі пашпарты",
    ),
    "ms": (
        "Rakyat Malaysia ditipu dengan tawaran kerja dan dihantar ke barisan hadapan di Ukraine",
        "Rakyat Malaysia ditipu sindiket kerja di Myanmar",
    ),
    "hy": (
        "Հավաքագրողները աշխատանքի խոստումով խաբել և ռազմաճակատ են ուղարկել օտարերկրացիների",
        "Ռուսաստանն ու Ուկրաինան կատարել են գերիների փոխանակում",
    ),
    "ps": (
        "افغان ځوانان د کار په نوم دوکه شوي او روسي پوځ ته جذب شوي دي",
        "پولیسو د کډوالو قاچاق کوونکې یوه ډله ونیوله",
    ),
    "gu": (
        "એજન્ટે નોકરીની લાલચ આપી ગુજરાતી યુવકને છેતરીને રશિયન સેનામાં ભરતી કરાવ્યો",
        "યુક્રેનમાં ફસાયેલા ગુજરાતી વિદ્યાર્થીઓ સલામત રીતે વતન પરત ફર્યા",
    ),
    "az": (
        "Gənclər iş vədi ilə aldadılaraq Rusiya ordusuna cəlb edilib və cəbhəyə göndərilib",
        "Rusiya ilə Ukrayna arasında növbəti əsir mübadiləsi aparılıb",
    ),
    "ml": (
        "ജോലി വാഗ്ദാനം ചെയ്ത് കബളിപ്പിച്ച് യുവാക്കളെ റഷ്യൻ സൈന്യത്തിലേക്ക് റിക്രൂട്ട് ചെയ്തു",
        "യുക്രൈനിൽ കുടുങ്ങിയ മലയാളി വിദ്യാർത്ഥികൾ സുരക്ഷിതമായി നാട്ടിലെത്തി",
    ),
    "mr": (
        "नोकरीचे आमिष दाखवून एजंटने तरुणांना फसवून रशियन सैन्यात भरती केले",
        "युक्रेनमध्ये अडकलेले विद्यार्थी सुखरूप मायदेशी परतले",
    ),
    "pa": (
        "ਏਜੰਟ ਨੇ ਧੋਖੇ ਨਾਲ ਪੰਜਾਬੀ ਨੌਜਵਾਨਾਂ ਨੂੰ ਰੂਸੀ ਫੌਜ ਵਿੱਚ ਭਰਤੀ ਕਰਵਾ ਕੇ ਜੰਗ ਵਿੱਚ ਭੇਜਿਆ",
        "ਅਮਰੀਕਾ ਤੋਂ ਡਿਪੋਰਟ ਕੀਤੇ ਨੌਜਵਾਨ ਡੰਕੀ ਰਾਹੀਂ ਗਏ ਸਨ",
    ),
    "te": (
        "ఉద్యోగాల పేరుతో మోసం చేసి యువకులను రష్యా సైన్యంలో చేర్చి యుద్ధానికి పంపారు",
        "కంబోడియాలో సైబర్ మోసాల ముఠా చెర నుంచి యువకులకు విముక్తి",
    ),
    "tl": (
        "Mga Pilipino nilinlang ng recruiter at ipinadala sa giyera para makipaglaban para sa Russia",
        "Mga OFW inilikas mula sa Lebanon dahil sa giyera",
    ),
    "sk": (
        "Verbovači nalákali cudzincov prísľubom práce a poslali ich na front",
        "Rusko a Ukrajina uskutočnili ďalšiu výmenu zajatcov",
    ),
    "th": (
        "แรงงานไทยถูกนายหน้าหลอกไปรบให้กองทัพรัสเซียในสงครามยูเครน",
        "รัฐบาลอพยพคนไทยออกจากอิสราเอลหลังมีแรงงานถูกจับเป็นตัวประกัน",
    ),
    "he": (
        "שכירי חרב מנפאל הונו בהבטחות לעבודה ונשלחו לחזית",
        "הכנסת דנה בחוק הגיוס ובגיוס חרדים לצבא",
    ),
    "hr": (
        "Vrbovali su strance obećanjem posla i poslali ih na bojište u Ukrajini",
        "Policija je uhitila krijumčare migranata na granici",
    ),
    "el": (
        "Στρατολόγοι εξαπάτησαν νεαρούς με ψεύτικες προσφορές εργασίας και τους έστειλαν στο μέτωπο",
        "Νέα ανταλλαγή αιχμαλώτων μεταξύ Ρωσίας και Ουκρανίας",
    ),
    "bg": (
        "Вербовчици подмамили чужденци с обещания за работа и ги изпратили на фронта",
        "Нова размяна на пленници между Русия и Украйна",
    ),
    "fi": (
        "Värvääjät houkuttelivat miehiä työlupauksilla, ja heidät lähetettiin rintamalle",
        "Venäjä ja Ukraina sopivat uudesta vankienvaihdosta",
    ),
    "hu": (
        "A toborzók munkaajánlattal csalták be a férfiakat, majd a frontra küldték őket",
        "Újabb fogolycsere Oroszország és Ukrajna között",
    ),
    "vi": (
        "Nhiều lao động bị lừa sang Nga rồi bị đưa ra chiến trường Ukraine",
        "Giải cứu lao động bị lừa việc nhẹ lương cao sang Campuchia",
    ),
    "lv": (
        "Vervētāji ar darba solījumiem pievilināja ārzemniekus un nosūtīja viņus uz fronti",
        "Krievija un Ukraina veica kārtējo gūstekņu apmaiņu",
    ),
    "lt": (
        "Verbuotojai apgaule privilioja užsieniečius ir išsiuntė juos į frontą",
        "Rusija ir Ukraina vėl apsikeitė karo belaisviais",
    ),
    "et": (
        "Värbajad meelitasid välismaalasi tööpakkumistega ja nad saadeti rindele",
        "Venemaa ja Ukraina leppisid kokku uues vangide vahetuses",
    ),
    "sl": (
        "Novačitelji so tujce z lažnimi obljubami zvabili v Rusijo in jih poslali na fronto",
        "Policija je na meji prijela tihotapce migrantov",
    ),
    "mk": (
        "Врбувачи со ветувања за работа намамиле странци и ги испратиле на фронтот",
        "Нова размена на воени заробеници меѓу Русија и Украина",
    ),
    "sq": (
        "Rekrutuesit i joshën të rinjtë me premtime për punë dhe i dërguan të luftojnë për Rusinë",
        "Policia arrestoi një grup kontrabandistësh që kalonin emigrantë përtej kufirit",
    ),
    "km": (
        "ពលករខ្មែរត្រូវបានមេខ្យល់បោកប្រាស់ ហើយបញ្ជូនទៅច្បាំងក្នុងជួរកងទ័ពរុស្ស៊ីនៅអ៊ុយក្រែន",
        "ប៉ូលិសបានជួយសង្គ្រោះពលករបរទេសពីមជ្ឈមណ្ឌលឆបោកតាមអនឡាញ",
    ),
    "my": (
        "မြန်မာလူငယ်များကို အလုပ်ကောင်းပေးမည်ဟု လိမ်လည်ပြီး ရုရှစစ်တပ်ထဲသို့ စုဆောင်းကာ ယူကရိန်းစစ်မြေပြင်သို့ ပို့ခဲ့သည်",
        "စစ်ကောင်စီက ပြည်သူ့စစ်မှုထမ်းဥပဒေအရ လူငယ်များကို ရှေ့တန်းသို့ ပို့နေသည်",
    ),
}
