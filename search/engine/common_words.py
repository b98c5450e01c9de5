"""Index terms common in real papers (written by bench/common_words.py: held by at least
2% of the 2,685 papers of ../shared, stemmed and as written). Adjacent pairs of them
get a term of their own (schema.py's ``*_pairs`` fields): changing this list is a schema change.
"""

COMMON_TERMS = frozenset(
    """
000 10 100 12 20 2d 3d 4o 7b 8b abil abilities ability ablat about abstract acceler access accur
accuraci accuracy accurate accurately achiev achieve achieved achieves achieving across act
action actions activ adapt adaptation adaptive add addit addition additional additionally
address addresses addressing adjust adopt advanc advance advanced advancements advances
advancing advantag advantage advantages after against agent agentic agents aggreg agnost
agnostic ai aim aims algorithm algorithms align aligned aligning alignment all allow allowing
allows along also altern alternative although among analys analysi analysis analyz analyze
anchor ani annot annotat annotated annotation annotations answer answering answers any appear
appearance appli applic application applications applied apply applying approach approaches
approxim arbitrari arbitrary architectur architectural architecture architectures argu art
artifact artifacts aspect aspects assess assessment assign assist associat associated attempt
attent attention attribut audio augment augmented autom automat automated automatic
automatically autonom autonomous autoregress autoregressive avail available averag average avoid
awar aware backbon backbone balanc balance base based baselin baseline baselines be becaus
because becom become becomes been befor before behavior behaviors being bench benchmark
benchmarking benchmarks benefit benefits best better between beyond bia bias block boost both
bottleneck bound boundari bridg bridge broad budget build building built but cach cache call
called camera candid candidate cannot capabilities capability capabl capable capac capacity
caption captur capture carefulli carefully case cases categori categories caus causal central
centric chain challeng challenge challenges challenging chang changes character characterist
characteristics checkpoint choic choice class classif classifi classification clip close closed
co coars coarse code coding cognit coher coherence coherent collabor collaps collect collection
combin combined combines combining common commun community compact compar comparable compared
comparison competit competitive complementari complementary complet complete completion complex
complexity compon component components compos composit comprehens comprehensive compress
compression compris comprises comprising comput computation computational compute computer
concept condit condition conditional conditioned conditioning conditions conduct configur
confirm connect consid consider consist consistency consistent consistently consists constrain
constrained constraint constraints construct construction contain containing contains content
context contexts contextu continu continuous contrast contribut contributions control
controllable controlled convent conventional converg convers convert coordin core corpu corpus
correct correction correctness correspond corresponding cost costli costly costs cot counterpart
coupl cover coverag coverage covering creat create creating creation critic critical cross
crucial cue cues curat curated curation current data dataset datasets decis decision decod
decoder decoding decompos decoupl deep deepseek defin degrad degradation deliv demand demands
demonstr demonstrat demonstrate demonstrated demonstrates demonstrating denois denoising dens
dense densiti depend dependent deploi deployment depth deriv derived describ descript
descriptions design designed designs despit despite detail detailed details detect detection
determin develop developed developing development differ different differenti difficult
difficulti difficulty diffus diffusion dimens dimension dimensional dimensions direct direction
directions directli directly discov discoveri discovery discret discrete discuss distil
distillation distinct distribut distribution distributions dit divers diverse diversity do
document doe does domain domains domin downstream drive driven dual due dure during dynamic
dynamicalli dynamically dynamics e.g each earli early edit editing effect effective effectively
effectiveness effects effici efficiency efficient efficiently effort either element elements
embedd embedding embeddings embodi embodied emerg emerged empir empirical empirically emploi
employ employs enabl enable enables enabling encod encoder encoding encourag end ended enforc
engin engine engineering enhanc enhance enhanced enhances enhancing ensur ensure ensuring entir
entire entropi entropy environ environment environments error errors especi especially essenti
essential establish establishes estim estimation evalu evaluat evaluate evaluated evaluates
evaluating evaluation evaluations even everi every evid evidence evolut evolution evolv evolving
examin exampl example examples excel execut executable execution exhibit exhibits exist existing
expand expect expens expensive experi experience experiment experimental experiments expert
experts explicit explicitli explicitly exploit explor exploration explore explored expos express
extend extended extens extensive extern external extract face facilit facilitate factor factual
fail failur failure famili family fast faster featur feature features feedback few fewer fidel
fidelity field fields filter filtering final finally find findings fine finetun first five fix
fixed flexibility flexibl flexible flow focu focus focused follow following forc form formal
format formul formulation forward found foundat foundation four frame frames framework
frameworks free frequenc frequency frequent frontier frozen full fulli fully function functions
fundament fundamental fundamentally further furthermor furthermore futur future gain gains gap
gaps gaussian gemini gener general generaliz generalization generalize generat generate
generated generates generating generation generative generator geometr geometri geometric
geometry github.com given global goal gpt gpu gradient grain grained graph ground grounded
grounding group grow growing grpo guid guidanc guidance guide guided ha hallucin hand handl
handle handling har hard has head help heterogen heterogeneous hierarch hierarchical high higher
highli highlight highlighting highly hinder hope horizon how howev however http https human
humans hybrid i. i.e ident identifi identify identifying identity ii iii imag image images
impact implement implicit import importance important impress impressive improv improve improved
improvement improvements improves improving includ includes including inconsist incorpor
incorporat incorporates incorporating increas increases increasing increasingli increasingly
independ independent indic individu individual induc ineffici infer inference inform information
inher inherent inherently initi initial inject innov input inputs insight insights inspir
inspired instanc instance instances instead instruct instruction instructions insuffici integr
integrat integrate integrated integrates integrating integration intellig intelligence intens
intensive intent interact interaction interactions interactive interest interfac interface
interleav intermedi intermediate intern internal interpret interpretable into introduc introduce
introduced introduces introducing investig investigate involv issu issue issues it iter
iterative iteratively its itself joint jointli jointly judg judge just kei key knowledg
knowledge known kv label labels lack languag language languages larg large largely larger latenc
latency latent law layer layers layout lead leading leads learn learned learning learns leav
length less level levels leverag leverage leverages leveraging light lightweight like limit
limitation limitations limited limiting limits linear llama llm llms local logic long loop loss
low lower machin machine made maintain maintaining maintains major make makes making manag mani
manipul manipulation manner manual many map maps mask match matches matching math mathemat
mathematical mean measur mechan mechanism mechanisms memori memory method methodolog methods
metric metrics million minim minimal mitig mitigate mix mixtur mixture mllm mllms modal
modalities modality mode model modeling models modern modul module modules more moreov moreover
most motion motivat motivated much multi multilingu multilingual multimod multimodal multipl
multiple must name narrow nativ native natur natural naturally nature navig need network neural
new next no nois noise non notabl notably novel number numer object objective objectives objects
observ observation observations observe observed obtain off offer offering offers often on one
ones onli onlin online only open oper operate operations optim optimal optimiz optimization
optimize optimized optimizing order organ orient oriented origin original other our out outcom
outcome outperform outperforming outperforms output outputs over overal overall overcom overcome
overhead overlook own page pair paired pairs paper paradigm parallel paramet parameter
parameters part partial particular particularli particularly pass path pattern patterns per
percept perception perform performance performing performs persist persistent person perspect
perspective phase physical pipelin pipeline pipelines pixel plai plann planning platform
plausibl play point points polici policies policy popular pose poses posit possibl possible post
potenti potential power powerful practic practical pre precis precise precision predict
prediction predictions prefer preference preferences present presents preserv preserve preserves
preserving pretrain pretrained pretraining prevent previou previous primari primarili primarily
primary principl principled prior priors pro probabl problem problems procedur process processes
processing produc produce produces producing product progress project promis promise promising
prompt prompting prompts properti properties propos propose proposed proprietari proprietary
protocol prove provid provide provided provides providing public publicli publicly purpos
purpose qa qualit qualiti quality quantit quantiz queri queries query question questions qwen
qwen3 r1 rag rais rang range rank rapid rate rather ratio raw reach real realist realistic
reason reasoning recent recently recip recognit recognition reconstruct reconstruction recov
reduc reduce reduces reducing reduct reduction redund refer reference refin refine refinement
reflect region regions reinforc reinforcement rel relat related relationship relative releas
release released relev relevant reli reliability reliabl reliable relianc reliance rely relying
remain remains remark remarkable render rendering replac report repres represent representation
representations representative reproduc requir require required requirements requires requiring
research resolut resolution resolv resourc resource resources respect respectively respons
response responses restrict result resulting results retain retriev retrieval reveal revealing
reveals review reward rewards rich rigor rigorous risk rl robot robotic robust robustness role
rollout rout rule safeti safety same sampl sample samples sampling scalability scalabl scalable
scale scales scaling scenario scenarios scene scenes scheme scienc science scientif scientific
score scores scoring scratch seamlessli seamlessly search second segment segmentation select
selection self semant semantic semantically semantics sensit separ sequenc sequence sequences
sequenti sequential seri series serv serve serves set sets sett setting settings sever several
sft shape share shared shift short shot should show showing shown shows signal signals signific
significant significantli significantly similar simpl simple simul simulation simultan
simultaneously sinc since singl single six size sizes skill skills small smaller so solut
solution solutions solv solve solving some sota sourc source sourced sources space span spann
spanning spars sparse spatial specializ specialized specif specific specifically speech speed
speedup stabil stability stabl stable stage stages standard start state states static steer step
steps still strategi strategies strategy stream strength strong stronger strongest structur
structural structure structured structures struggl struggle student studi studies study style
sub subject subsequ subset substanti substantial substantially success such suffer suggest suit
suite superior supervis supervised supervision support supporting supports surfac surpass
surpasses surpassing synthesi synthesis synthesiz synthesize synthetic system systematic
systematicalli systematically systems tackl tackle tailor tailored take target task tasks
teacher technic technical techniqu technique techniques tempor temporal temporally term terms
test text textual than thei their them then theoret theoretical theori theory there therebi
thereby therefor therefore these they think thinking those thought three through throughout thu
thus time times togeth together token tokens tool tools top toward towards trace track trade
tradit traditional train trained training trajectori trajectories trajectory transfer transform
transformer transformers transit translat treat tree tune tuned tuning turn two type types
typicalli typically under underexplor underexplored underli underlying underscor understand
understanding unifi unified uniqu unique univers unlik unlike unlock unseen up updat updates
upon us usag usage use used user users uses using util utility utiliz utilize valid validat
validate valu valuabl valuable value vari variant variants variat variou various varying vector
verif verifi verifiable verification verified versatil via video videos view vision visual vlm
vlms wai way weak web weight weights well what where whether which while whose wide widely
window wise within without work workflow workflows works world yield yielding yields zero
""".split()
)
