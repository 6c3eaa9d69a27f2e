"""Names the synthetic register is drawn from, and the benchmark's own lists
of the ways a name gets written differently.

Every list is in rough order of frequency, most common first; the generator
draws from it with a Zipf-like skew, so that Muhammad, Olivia, Khan and Smith
are as common in the register as they are in an English council's. Pools are
per community, because a household's names come from one (sometimes two).

The variant lists below (NICKNAMES, FIRST_NAME_SPELLINGS, SURNAME_SPELLINGS)
are written for the benchmark and deliberately not read from the engine's
tables (matching/data/): some variants here are missing from the engine's
table, and finding them anyway (or not) is part of the test.
"""


def _words(text):
    return tuple(text.split())


def _groups(text):
    """One group a line, its names separated by spaces."""
    return tuple(_words(line) for line in text.strip().splitlines() if line.strip())


class Community:
    """A community's name pools: children's and parents' given names by sex
    (names go in and out of fashion, so the generations differ) and surnames."""

    def __init__(self, key, boys, girls, men, women, surnames, surname_tail=(), **rules):
        self.key = key
        self.boys = _words(boys)
        self.girls = _words(girls)
        self.men = _words(men)
        self.women = _words(women)
        self.surnames = _words(surnames)
        # Rarer surnames: drawn uniformly, so the long tail of a real register
        # (most surnames held by one or two families) is there too.
        self.surname_tail = tuple(surname_tail)
        # Married women keep their own surname (Somali, Arab, Afghan usage).
        self.wife_keeps_surname = rules.get("wife_keeps_surname", False)
        # Surnames with a feminine form (Polish -ski/-ska).
        self.gendered_surnames = rules.get("gendered_surnames", False)
        # Share of surname draws from the common list rather than the tail.
        self.common_surname_share = rules.get("common_surname_share", 1.0)


def _compounds(stems, endings):
    return [stem + ending for stem in _words(stems) for ending in _words(endings)]


ENGLISH = Community(
    "english",
    boys="""Oliver Noah George Arthur Leo Harry Oscar Archie Henry Theodore Freddie Jack
    Charlie Theo Alfie Jacob Thomas Finley Arlo William Lucas Roman Tommy Isaac Teddy Edward
    Adam Joshua James Ethan Max Alexander Reggie Jude Logan Louie Samuel Albie Daniel Joseph
    Sebastian Rory Mason Harrison Jaxon Benjamin Elijah Hugo Dylan Riley Ronnie Toby Jake Harvey
    Ellis Frankie Jenson Charles Reuben Tyler Kai Liam Nathan Callum Kieran Connor Jayden Bobby
    Michael Matthew Christopher Ryan Luke Lewis Jamie Owen Caleb Zachary Frederick Alfred""",
    girls="""Olivia Amelia Isla Ava Ivy Freya Lily Florence Mia Willow Rosie Sophia Isabella
    Grace Daisy Sienna Poppy Elsie Emily Ella Evelyn Phoebe Sofia Evie Charlotte Harper Millie
    Matilda Maya Sophie Alice Emilia Isabelle Ruby Luna Maisie Aria Penelope Mila Bonnie Eva
    Hallie Violet Ellie Jessica Chloe Lucy Katie Hannah Megan Lola Amber Holly Scarlett Erin
    Georgia Summer Eleanor Elizabeth Katherine Abigail Leah Zara Imogen Heidi Thea Robyn Esme
    Harriet Lottie Darcie Niamh Caitlin Rebecca Victoria Eliza""",
    men="""David Daniel James Michael Christopher Matthew Andrew Paul Mark Richard Thomas Robert
    Stephen Lee Craig Jamie Ryan Adam Ben Luke Jonathan Carl Darren Dean Gary Scott Liam Jason
    Anthony Kevin Steven Simon Wayne Shaun Sean Kyle Jordan Nathan Joshua Jack Samuel William
    Joseph Peter John Ian Neil Martin Stuart Gareth Philip Nicholas Edward Alexander Aaron Ashley
    Ricky Danny Jake Callum Connor""",
    women="""Sarah Emma Laura Rebecca Gemma Claire Nicola Amy Lisa Rachel Kelly Hannah Samantha
    Jessica Charlotte Stacey Kirsty Leanne Zoe Jade Danielle Natalie Louise Hayley Katie Lauren
    Sophie Chloe Amanda Helen Victoria Michelle Joanne Donna Kerry Jennifer Elizabeth Katherine
    Catherine Caroline Stephanie Melissa Jodie Carly Shannon Chelsea Megan Abigail Alice Bethany
    Georgina Holly Naomi Rosie Toni Vicky Kimberley Sally""",
    surnames="""Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
    Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson
    Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen
    James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook
    Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Simpson Ellis
    Adams Wilkinson Anderson Foster Chapman Mason Webb Rogers Gray Hunt Palmer Holmes Mills Barnes
    Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Dixon Fletcher Pearson Atkinson
    Howard Owen O'Brien McDonald Reid Kennedy Gibson Grant Murray Lawrence Spencer Pearce Poole
    Dawson Hudson Gardner Hart Armstrong Reynolds Stewart Kaur Singh Campbell Byrne O'Neill
    Doherty""",
    surname_tail=_compounds(
        """Ash Brad Whit Thorn Black Fair Hol Marl Stan Wes Kings Brook Ald Haw Pen Red Sand
        Cal Dun Fen Gold Har Lang Mor Nor Rad Shel Stock Til Wal Wen Wood Bram Chad Elm Hat
        Kim Lind Pad Rush""",
        """ley ton field worth ford wood by ham hurst well more dale combe stead shaw croft wick
        bury""",
    ),
    common_surname_share=0.3,
)

POLISH = Community(
    "polish",
    boys="""Jakub Antoni Jan Szymon Aleksander Franciszek Filip Mikołaj Wojciech Kacper Adam
    Michał Marcel Stanisław Wiktor Piotr Igor Leon Nikodem Mateusz Bartosz Oliwer Dawid Tymon
    Maksymilian Kamil Krzysztof Tomasz Dominik Patryk Oskar Hubert""",
    girls="""Zuzanna Julia Zofia Hanna Maja Lena Alicja Maria Amelia Oliwia Aleksandra Wiktoria
    Natalia Emilia Antonina Laura Pola Iga Gabriela Nadia Magdalena Katarzyna Anna Agnieszka
    Joanna Karolina Weronika Ewa Martyna Nikola""",
    men="""Piotr Krzysztof Tomasz Paweł Marcin Michał Łukasz Grzegorz Mariusz Adam Marek Dariusz
    Jakub Kamil Rafał Sebastian Robert Wojciech Damian Dawid Mateusz Bartłomiej Sławomir Andrzej
    Jarosław Przemysław Artur Daniel""",
    women="""Anna Katarzyna Agnieszka Małgorzata Joanna Magdalena Monika Ewa Aleksandra Justyna
    Karolina Marta Beata Dorota Natalia Paulina Sylwia Izabela Agata Edyta Kinga Patrycja
    Weronika Dominika Emilia Barbara""",
    surnames="""Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński
    Szymański Woźniak Dąbrowski Kozłowski Jankowski Mazur Wojciechowski Kwiatkowski Krawczyk
    Kaczmarek Piotrowski Grabowski Zając Pawłowski Michalski Król Wieczorek Jabłoński Wróbel
    Nowakowski Majewski Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Nowicki""",
    surname_tail=_compounds(
        "Bor Dąb Gór Jast Kos Lip Mar Orł Pias Sad Sob Tar Wil Zal Brz Chm",
        "owski ewski ecki czyk iak ek",
    ),
    gendered_surnames=True,
    common_surname_share=0.6,
)

ROMANIAN = Community(
    "romanian",
    boys="""Andrei Alexandru David Luca Mihai Ștefan Matei Ioan Gabriel Rareș Darius Eric
    Antonio Mario Sebastian Cristian Denis Răzvan Tudor Vlad Bogdan Ionuț Florin Marius Adrian
    Nicolae Daniel Raul""",
    girls="""Maria Ioana Sofia Elena Andreea Alexandra Antonia Daria Ana Bianca Denisa Alessia
    Ana-Maria Gabriela Mihaela Cristina Daniela Roxana Larisa Raluca Nicoleta Georgiana Alina
    Iulia Irina Delia""",
    men="""Ion Gheorghe Constantin Vasile Nicolae Marius Florin Ionuț Cristian Adrian Daniel
    Mihai Alexandru Bogdan Costel Dumitru Marian Sorin Ciprian Viorel Cătălin Gabriel Andrei
    Lucian""",
    women="""Maria Elena Ioana Andreea Mihaela Cristina Alina Florentina Daniela Nicoleta
    Georgiana Gabriela Roxana Adriana Simona Ramona Loredana Claudia Camelia Ana Irina Oana
    Iulia""",
    surnames="""Popa Popescu Ionescu Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Rusu
    Munteanu Constantin Mihai Marin Ilie Lungu Florea Dinu Tudor Moldovan Barbu Ion Nistor Neagu
    Zamfir Dobre Anghel Sandu Vasile Toma Ungureanu Mocanu Petrescu Cristea Ene Lazăr""",
    surname_tail=_compounds(
        "Văd Bălc Stăn Duc Cost Răd Mir Nic Pet Drag Vlăd Mar", "escu eanu aru"
    ),
    common_surname_share=0.6,
)

UKRAINIAN = Community(
    "ukrainian",
    boys="""Oleksandr Maksym Artem Mykhailo Dmytro Andrii Ivan Bohdan Danylo Nazar Denys Mark
    Matvii Yaroslav Vladyslav Serhii Yurii Oleh Illia Tymofii Kyrylo Roman Taras Volodymyr""",
    girls="""Sofiia Anastasiia Anna Mariia Viktoriia Yelyzaveta Daryna Polina Kateryna Solomiia
    Veronika Alina Diana Yuliia Olena Oksana Iryna Khrystyna Zlata Milana Vira Nadiia""",
    men="""Oleksandr Serhii Andrii Volodymyr Dmytro Ivan Yurii Mykola Oleh Vasyl Viktor Ihor
    Vitalii Roman Petro Taras Bohdan Ruslan Vadym Pavlo""",
    women="""Olena Tetiana Iryna Nataliia Oksana Svitlana Yuliia Kateryna Anna Mariia Liudmyla
    Halyna Nadiia Valentyna Olha Inna Viktoriia Alla Larysa Tamara""",
    surnames="""Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Kovalchuk Boyko Oliynyk
    Melnyk Shevchuk Polishchuk Lysenko Marchenko Savchenko Rudenko Moroz Petrenko Kravets
    Hrytsenko Pavlenko Melnychuk Tkachuk Romanenko Zinchenko""",
    surname_tail=_compounds(
        "Vasyl Hnat Dan Step Lev Marty Ost Fed Yar Kost Sav Kyr", "enko chuk yshyn"
    ),
    common_surname_share=0.5,
)

PAKISTANI_BANGLADESHI = Community(
    "pakistani_bangladeshi",
    boys="""Muhammad Ibrahim Yusuf Musa Adam Ali Zayn Hamza Ayaan Abdullah Umar Isa Zakariya
    Yahya Hassan Hussain Ismail Ahmed Rayyan Idris Harun Arham Haider Bilal Imran Usman Saad
    Ayan Rehan Zain Aryan""",
    girls="""Maryam Aisha Fatima Zainab Khadija Hafsa Inaya Amira Zara Eman Hawa Safa Noor
    Aleena Anaya Ayesha Hania Sumaya Ruqayyah Zoya Iqra Alina Sana Aleeza Mahnoor Hira""",
    men="""Muhammad Imran Asif Tariq Shahid Kashif Naveed Arif Zahid Abdul Amjad Irfan Sajid
    Adnan Faisal Waqas Usman Bilal Nadeem Rizwan Khalid Javed Nasir Shabir Zubair""",
    women="""Nazia Shazia Samina Rubina Farzana Nasreen Saima Fatima Ayesha Sadia Amina Rukhsana
    Shabana Uzma Bushra Sana Aisha Hina Zainab Salma Parveen Yasmin Nusrat Shamima Rehana""",
    surnames="""Khan Ali Hussain Ahmed Akhtar Shah Rahman Iqbal Mahmood Begum Bibi Aslam Butt
    Malik Raja Hassan Rashid Uddin Islam Miah Chowdhury Qureshi Javed Sharif Saleem Anwar Riaz
    Nawaz Younis Bashir Karim Mirza Sheikh Siddiqui""",
)

ARAB = Community(
    "arab",
    boys="""Mohammed Ahmad Omar Ali Yousef Khaled Abdullah Hamza Adam Ibrahim Karim Hussein
    Mustafa Zaid Amir Rami Sami Majd Jad Laith Ayham Yazan Bassam""",
    girls="""Fatima Maryam Sara Lana Jana Rahaf Nour Layan Sham Hala Aya Rama Leen Tala Dana Reem
    Amina Malak Yara Lamar Hiba Joud""",
    men="""Mohammed Ahmad Ali Khaled Omar Mahmoud Hassan Hussein Ibrahim Mustafa Abdulrahman
    Yaser Samer Bilal Walid Nabil Fadi Tarek Jamal Hisham""",
    women="""Fatima Amal Rania Huda Rasha Samar Maha Lina Mona Noura Heba Zeinab Nada Ghada Dalia
    Suha Manal Reem Hanan Asmaa""",
    surnames="""Ahmed Mohammed Ali Hussein Ibrahim Abdullah Haddad Khalil Mansour Saleh Nasser
    Hamdan Al-Hassan Al-Ali Othman Yousef Mahmoud Darwish Hamad Al-Sayed Abbas Jaber Qasim
    Salem Al-Khatib Al-Rashid""",
    wife_keeps_surname=True,
)

AFGHAN = Community(
    "afghan",
    boys="""Ahmad Mohammad Mustafa Yousuf Hamid Farid Omid Sohail Bilal Ibrahim Ismail Jawad
    Masood Nawid Sami Wahid Zabihullah Rahmatullah Zia Elyas Sadiq Hasib""",
    girls="""Maryam Fatima Zahra Madina Marwa Sana Parwana Mursal Nazanin Hasina Shabnam Laila
    Roya Hadia Zarmina Farishta Mahnaz Nilofar Sahar Marzia""",
    men="""Mohammad Ahmad Abdul Gul Rahim Karim Noor Hamid Habib Jamal Mahmood Naseer Qadir
    Sardar Shafiq Wali Zaman Zalmai Hekmat""",
    women="""Fatima Zarghona Gulalai Shabnam Mahbooba Nasima Parveen Razia Sakina Shakila Zahra
    Malalai Nazia Latifa Freshta""",
    surnames="""Ahmadzai Popal Stanekzai Yousufzai Khan Safi Noori Sultani Rahimi Karimi Hakimi
    Amiri Azizi Habibi Mohammadi Ahmadi Hussaini Sadat Wardak Shinwari Mohmand Durrani Afridi
    Hotak Naziri""",
    wife_keeps_surname=True,
)

SOMALI = Community(
    "somali",
    boys="""Mohamed Abdi Ahmed Abdullahi Hassan Ali Omar Yusuf Ibrahim Abdirahman Mustafe Hamza
    Ayub Khalid Bilal Zakariye Mahad Liban Farhan Sakariye Abdirizak Hamse""",
    girls="""Hodan Fadumo Amina Ayaan Hibo Ifrah Ladan Nimco Sahra Sumaya Hamdi Ikran Istahil
    Muna Ubah Yasmin Hani Safiya Nasra Khadra Deeqa Idil Anisa Maryan""",
    men="""Mohamed Abdi Ahmed Abdullahi Hassan Ali Omar Yusuf Ibrahim Abdirahman Mahamud Farah
    Osman Ismail Said Jama Warsame Aden Nur Hussein""",
    women="""Fadumo Halimo Hawa Khadija Amina Asha Hodan Sahra Maryan Nimco Ubah Hibaq Safiya
    Ruqiya Zahra Deqa Fartun Ayan""",
    surnames="""Mohamed Ahmed Abdi Hassan Ali Omar Farah Warsame Jama Osman Ibrahim Aden
    Abdullahi Yusuf Hersi Nur Egal Elmi Dualeh Guled Mohamud Said Ismail Hussein""",
    wife_keeps_surname=True,
)

COMMUNITIES = {
    c.key: c
    for c in (ENGLISH, POLISH, ROMANIAN, UKRAINIAN, PAKISTANI_BANGLADESHI, ARAB, AFGHAN, SOMALI)
}
# Share of households in each community, council-wide; each postcode district
# tilts these at random, so that communities cluster as they do in a town.
COMMUNITY_SHARES = {
    "english": 0.62,
    "pakistani_bangladeshi": 0.12,
    "polish": 0.07,
    "romanian": 0.06,
    "arab": 0.04,
    "somali": 0.03,
    "ukrainian": 0.03,
    "afghan": 0.03,
}

# How the register spells Muhammad, by community: one person, one spelling,
# but the register as a whole holds them all.
MUHAMMAD_SPELLINGS = {
    "pakistani_bangladeshi": {
        "Muhammad": 0.45,
        "Mohammed": 0.3,
        "Mohammad": 0.12,
        "Mohamed": 0.1,
        "Muhammed": 0.03,
    },
    "arab": {"Mohammed": 0.5, "Mohammad": 0.3, "Muhammad": 0.2},
    "somali": {"Mohamed": 0.8, "Mohammed": 0.1, "Maxamed": 0.1},
    "afghan": {"Mohammad": 0.6, "Muhammad": 0.25, "Mohammed": 0.15},
}
# In these communities one boy in six or so is named Muhammad: the share of
# boys' and men's names that are.
MUHAMMAD_SHARE = {"pakistani_bangladeshi": 0.18, "arab": 0.14, "somali": 0.16, "afghan": 0.14}

# Twins are sometimes given names that sound alike or start alike. These are
# different names (not variants of one), and a matcher must keep them apart.
TWIN_NAME_PAIRS = _groups(
    """
    Ava Eva
    Amelia Emilia
    Isla Ivy
    Ella Ellie
    Lily Lola
    Mia Maya
    Rosie Ruby
    Hassan Hussain
    Amir Amira
    Zain Zara
    Harry Harvey
    Jayden Jordan
    Oliver Olivia
    Mason Max
    Yusuf Yunus
    Hamza Hafsa
    Jakub Julia
    Ionut Ioana
    Andrei Andreea
    """
)

# The benchmark's own list of short forms and nicknames (and the English
# forms people take on in England: Piotr/Peter). Names in one group are one
# person's name written another way.
NICKNAMES = _groups(
    """
    William Will Bill Billy Liam Willie
    Katherine Kate Katie Kathy Kath Kat Kitty Catherine Kathryn
    Elizabeth Liz Lizzie Beth Betty Eliza Libby Elsie
    Margaret Maggie Meg Peggy
    Thomas Tom Tommy
    James Jim Jimmy Jamie
    Robert Rob Bob Bobby Robbie
    Alexander Alex Xander Sandy
    Alexandra Alex Lexi Sasha
    Christopher Chris
    Jonathan Jon Jonny
    Joseph Joe Joey
    Samuel Sam Sammy
    Benjamin Ben Benji
    Daniel Dan Danny
    Matthew Matt Matty
    Michael Mike Mick Mikey
    Edward Ed Eddie Ned
    Frederick Fred Freddie Freddy
    Alfred Alfie Alf
    Theodore Theo Teddy
    Henry Harry Hal
    Charles Charlie Chas
    Oliver Ollie Olly
    Olivia Liv Livvy
    Emily Em Emmy
    Isabella Bella Izzy Issy
    Isabelle Izzy Belle
    Florence Flo Florrie
    Victoria Vicky Tori
    Rebecca Becky Becca
    Samantha Sam Sammie
    Jessica Jess Jessie
    Abigail Abby Abbie Gail
    Eleanor Ellie Nell Nora
    Penelope Penny
    Nicholas Nick Nicky
    Anthony Tony
    Stephen Steve Stevie
    Steven Steve Stevie
    Andrew Andy Drew
    Jacob Jake
    Sebastian Seb
    Zachary Zach Zak
    Nathan Nate
    Joshua Josh
    Gabriel Gabe
    Matilda Tilly Tilda
    Harriet Hattie
    Natalie Nat
    Danielle Dani
    Jennifer Jen Jenny
    Caroline Carrie
    Stuart Stu
    Philip Phil Pip
    Gareth Gaz
    Reginald Reggie
    Ronald Ronnie
    Evelyn Evie
    Georgina Gina Georgie
    Callum Cal
    Jakub Kuba Jacob
    Aleksander Olek Alexander
    Mikołaj Nicholas
    Małgorzata Gosia Margaret
    Katarzyna Kasia Kate
    Agnieszka Aga Agnes
    Zuzanna Zuza Susanna
    Magdalena Magda
    Tomasz Tomek Tom
    Krzysztof Krzyś Chris
    Piotr Peter
    Paweł Paul
    Michał Michael
    Łukasz Luke
    Grzegorz Greg
    Marcin Martin
    Mateusz Matthew
    Bartłomiej Bartek
    Bartosz Bartek
    Wojciech Wojtek
    Joanna Asia
    Aleksandra Ola
    Dawid David
    Szymon Simon
    Filip Philip
    Ioan John
    Gheorghe George
    Mihai Michael
    Ionuț Ionut Ion
    Oleksandr Sasha Alexander
    Volodymyr Volodya
    Mykhailo Misha
    Dmytro Dima
    Kateryna Katya
    Tetiana Tania
    Yelyzaveta Liza
    Anastasiia Nastia
    Abdullah Abdi
    Abdirahman Abdi
    """
)

# Spellings and transliterations of one given name (Arabic, Urdu, Pashto,
# Somali, Ukrainian, Romanian, Polish), each group one name. Somali written
# in its own Latin alphabet (c and x for sounds English spells otherwise)
# is here too: councils meet both.
FIRST_NAME_SPELLINGS = _groups(
    """
    Sophia Sofia Sophie
    Isabel Isobel Isabelle Isabella
    Caitlin Katelyn Kaitlyn Caitlyn
    Amy Aimee Amie
    Jayden Jaden Jaiden Jaydon
    Megan Meghan Meagan
    Leah Lea Leigha
    Zoe Zoey Zoë
    Elliot Elliott Eliot
    Phoebe Phebe
    Freya Freyja
    Layla Laila Leila Lailah
    Evie Evey
    Millie Milly
    Ellie Elly Ellie-May
    Lily Lilly Lili Lillie
    Mia Mya
    Scarlett Scarlet
    Darcie Darcey Darcy
    Lottie Lotty
    Niamh Neve
    Robyn Robin
    Esme Esmee Esmé
    Thea Theia
    Stephen Steven
    Philip Phillip
    Jonathan Jonathon
    Matthew Mathew
    Rebecca Rebekah
    Nicola Nichola
    Hayley Haley Hailey
    Ashley Ashleigh
    Kirsty Kirstie
    Shaun Sean Shawn
    Carl Karl
    Aaron Aron
    Jamie Jaime
    Louie Louis Lewie
    Rosie Rosey
    Frankie Franky
    Harvey Harvie
    Teddy Teddie
    Alfie Alfi
    Jessica Jesica
    Katie Katy Katey
    Natalie Nathalie
    Joanne Joann
    Claire Clare
    Gemma Jemma
    Jodie Jody Jodi
    Sarah Sara
    Hannah Hanna
    Callum Calum
    Connor Conor
    Kieran Kieron Ciaran
    Reuben Ruben
    Isaac Isaak
    Zachary Zachery Zackary
    Muhammad Mohammed Mohammad Mohamed Mohamad Muhammed Mahamed Maxamed
    Ahmed Ahmad Ahmet Axmed
    Hussain Hussein Husain Hossain Husein
    Hassan Hasan Xasan
    Yusuf Yousef Yousuf Yusef Youssef Yousif
    Ibrahim Ebrahim Ibraheem Ibraahim
    Umar Omar Omer Cumar
    Usman Osman Uthman Othman Cismaan
    Ali Aly Cali
    Abdi Cabdi
    Abdullahi Cabdullahi Abdillahi
    Abdirahman Cabdiraxmaan Abdurahman
    Abdullah Abdallah Abdulla
    Zakariya Zakaria Zakariyya Zakariye Sakariye
    Ismail Ismael Esmail Ismaaciil
    Hamza Hamzah Xamza
    Yahya Yahia Yehya
    Idris Idrees Idriss
    Harun Haroon Haroun
    Zayn Zain Zane
    Imran Emran
    Tariq Tarik Tareq
    Khalid Khaled Khalit
    Mustafa Mustapha Mostafa Mustafe
    Mahmoud Mahmood Mahmud Mehmood
    Mohamud Mahamud Maxamuud
    Aisha Ayesha Aysha Aishah Ayesa Caasha
    Fatima Fatimah Fatma Fadumo Faduma Fatuma
    Maryam Mariam Meryem Maryan
    Khadija Khadijah Khadeeja Khadiija
    Zainab Zaynab Zeinab
    Ruqayyah Ruqayya Rukaya Ruqiya
    Hafsa Hafsah
    Sumaya Sumaiya Sumayya Sumaia
    Amina Aminah Ameena Aamina
    Nasreen Nasrin
    Yasmin Yasmine Yasmeen
    Noor Nur Nour
    Sahra Zahra Zahraa
    Nimco Nimo Nimca
    Hodan Hodon
    Ayaan Ayan Ayaana
    Deeqa Deqa
    Oleksandr Olexandr Aleksandr Alexandr Oleksander
    Serhii Serhiy Sergei Sergey Serhij
    Andrii Andriy Andrey Andrij Andrei
    Dmytro Dmitro Dmitry Dmitri Dmytryi
    Yurii Yuriy Yuri Iurii Jurij
    Mykola Nikolai Mikola Mykolai
    Mykhailo Mykhaylo Mikhail Mihailo
    Oleh Oleg
    Ihor Igor
    Vitalii Vitaliy Vitaly
    Vasyl Vasily Vasil Wasyl
    Kyrylo Kirill Kyrilo
    Illia Illya Ilya Ilia
    Matvii Matvey Matviy
    Tymofii Timofey Tymofiy
    Maksym Maxim Maksim
    Danylo Danilo Danila
    Yaroslav Jaroslav Iaroslav
    Kateryna Katerina Ekaterina Yekaterina
    Tetiana Tetyana Tatiana Tatyana
    Nataliia Natalia Nataliya Natalya
    Yuliia Yulia Iuliia Julia
    Sofiia Sofia Sophia Sofiya
    Anastasiia Anastasia Anastasiya
    Mariia Maria Mariya
    Viktoriia Viktoria Victoria Viktoriya
    Yelyzaveta Elizaveta Yelizaveta Jelyzaveta
    Olha Olga Olya
    Iryna Irina
    Halyna Galina Halina
    Liudmyla Lyudmila Ludmila
    Valentyna Valentina
    Khrystyna Khristina Kristina Christina
    Solomiia Solomiya Solomia
    Nadiia Nadiya Nadia
    Svitlana Svetlana
    Ștefan Stefan Stephan
    Ionuț Ionut
    Răzvan Razvan
    Cătălin Catalin
    Rareș Rares
    Andreea Andrea
    Iulia Julia
    Ioana Joana
    Mikołaj Mikolaj Mikolai
    Michał Michal Mihal
    Paweł Pawel Pavel
    Łukasz Lukasz Lukas
    Wojciech Wojcech Voytek
    Małgorzata Malgorzata Malgosia
    Stanisław Stanislaw Stanislav
    Bartłomiej Bartlomiej
    Przemysław Przemyslaw
    Sławomir Slawomir
    Jarosław Jaroslaw
    Oliwia Olivia
    Wiktoria Viktoria
    Weronika Veronika Veronica
    Dawid David
    Kacper Casper Kasper
    """
)

SURNAME_SPELLINGS = _groups(
    """
    Thompson Thomson Tomson
    Clarke Clark
    Davies Davis Davey
    Phillips Philips
    Reid Reed Read
    Gray Grey
    Matthews Mathews
    Stevens Stephens
    Smith Smyth
    Brown Browne
    Cook Cooke
    Moore More Moor
    Pearce Pierce Pearse
    Lloyd Loyd
    Allen Allan Alan
    Kelly Kelley
    Griffiths Griffith
    Jenkins Jenkin
    Harris Harries
    Lewis Louis
    Ellis Elis
    Atkinson Atkenson
    Murray Murry
    Hussain Hussein Husain Hossain
    Ahmed Ahmad Axmed
    Mohammed Muhammad Mohamed Mohammad
    Mohamed Maxamed Mohammed
    Mohamud Mahamud Maxamuud
    Hassan Hasan Xasan
    Rahman Rehman Rahmaan
    Mahmood Mahmud Mehmood Mahmoud
    Chowdhury Choudhury Chaudhry Chaudhary Choudhry
    Qureshi Kureshi Quraishi
    Uddin Udin Uddeen
    Miah Mia Meah
    Iqbal Ikbal
    Yousufzai Yousafzai Yusufzai
    Ahmadzai Ahmedzai
    Mohammadi Muhammadi
    Hussaini Husaini
    Abdi Cabdi
    Abdullahi Cabdullahi
    Warsame Warsama
    Dualeh Duale Dualle
    Omar Cumar Umar
    Ibrahim Ibraahim Ebrahim
    Yusuf Yousuf Yousef
    Shevchenko Schevchenko Shewchenko
    Kovalenko Kowalenko Kovalenco
    Tkachenko Tkatchenko
    Kravchenko Kravtchenko Krawczenko
    Oliynyk Oliinyk Olejnik Oleinik
    Melnyk Melnik Melnick
    Boyko Boiko Bojko
    Kovalchuk Kowalczuk Kovalczuk
    Shevchuk Schewtschuk Szewczuk
    Polishchuk Polischuk Poliszczuk
    Hrytsenko Gritsenko Hritsenko
    Wiśniewski Wisniewski Visnevski
    Wójcik Wojcik Voytsik
    Woźniak Wozniak Vozniak
    Dąbrowski Dabrowski Dombrowski
    Kozłowski Kozlowski
    Zając Zajac Zayonc
    Król Krol
    Stępień Stepien
    Jabłoński Jablonski
    Wróbel Wrobel
    Popescu Popesku
    Ionescu Ionesku
    Lazăr Lazar
    Ungureanu Ungureano
    O'Brien OBrien Obrien
    O'Neill ONeill Oneill O'Neil
    McDonald MacDonald Macdonald
    """
)

# Neighbouring keys on a UK keyboard: most typing slips hit one of these.
KEYBOARD_NEIGHBOURS = {
    "q": "wa",
    "w": "qes",
    "e": "wrd",
    "r": "etf",
    "t": "ryg",
    "y": "tuh",
    "u": "yij",
    "i": "uok",
    "o": "ipl",
    "p": "ol",
    "a": "qsz",
    "s": "awdz",
    "d": "sefx",
    "f": "drgc",
    "g": "fthv",
    "h": "gyjb",
    "j": "hukn",
    "k": "jilm",
    "l": "kop",
    "z": "asx",
    "x": "zsdc",
    "c": "xdfv",
    "v": "cfgb",
    "b": "vghn",
    "n": "bhjm",
    "m": "njk",
}

# Spelling changes that keep how a name sounds, for names on none of the
# lists above (Yusuf, Yousuf): the pattern, its replacement.
RESPELLINGS = (
    ("ou", "u"),
    ("u", "ou"),
    ("ee", "i"),
    ("i", "ee"),
    ("y", "i"),
    ("i", "y"),
    ("ph", "f"),
    ("f", "ph"),
    ("k", "c"),
    ("c", "k"),
    ("sh", "sch"),
    ("w", "v"),
    ("v", "w"),
    ("j", "y"),
    ("ie", "y"),
    ("ll", "l"),
    ("nn", "n"),
    ("mm", "m"),
    ("tt", "t"),
    ("ss", "s"),
    ("ah", "a"),
    ("a", "ah"),
    ("ei", "ey"),
    ("ks", "x"),
    ("x", "ks"),
)
