package patterns

import (
	"slices"
	"sync"
)

// commonTrigrams lists the 4096 most common trigrams of CI logs, sorted, three
// bytes each; trigramRanks has one byte per trigram: 255 for the most common,
// falling to 1. The prefilter registers each literal under its rarest
// trigrams. Measured over the logs in ../shared/data (Prow, GitHub Actions,
// Jenkins, Travis, Maven, Gradle, pytest, Mozilla), each log weighted equally.
const commonTrigrams = "" +
	"\t\t\t\t\ta\t20\tat\tch\r\x1b[\r  \r(R\rDo\rPr\rRe\rre\x1b[0\x1b[1\x1b[3\x1b[K\x1b[m \t\t \ta \r  \r1 \r2 \rD \rR" +
	" \x1b[  \t  \r  \x1b     \"  '  +  -  /  0  1  2  3  4  5  6  7  8  9  A  C  D  F" +
	"  I  R  S  T  U  [  a  c  e  f  i  l  o  p  r  s  t  |  } \"/ \"] #  ## '/" +
	" (\x1b (1 (2 (3 (4 (5 (6 (7 (8 (9 (d (f (t (v *  +  -  -- -> -D -I -W -X -f" +
	" .. .c /  /b /h /o 0  0, 0. 0: 0x 1  1, 1. 10 11 12 13 14 15 16 17 18 19" +
	" 2. 20 21 22 23 24 25 26 27 28 29 3. 30 31 32 33 34 35 36 37 38 39 4. 40" +
	" 41 42 43 44 46 48 49 5. 50 52 6. 60 64 7. 8. 80 9. 90 :  :s =  == >  @ " +
	" Ad An As Bu Ca Ch Cl Co Cr DE De Do Er Ex FA Fa Fi Fo GE Ge Gr IN In JA" +
	" Ja KB Li MB Ma Me Mi NO No PA Pr RE Re Ru SK SU Se Sk So Sp St TE Ta Te" +
	" Th Ti To UP UT Un Us WA [  [0 [I [c [g [m [s _  __ a  ac ad al an ar as" +
	" at ba be bu by ca ce ch ci cl co cr da de di do el en er et ex fa fi fo" +
	" fr fu ga ge gi ha ht hu id if im in is it ja kB la le li lo m  m/ ma me" +
	" mi mo na ne no nu o. ob of ok on op or ow pa pi pl po pr pu py re ru s " +
	" sa sc se sh si sk so sp st su ta te th ti to tr ty un up us va ve wa wh" +
	" wi wo wr {' |  |# ||\", \": \":\"\"];#  # t## #####[#[e#te% (% |%] ', ': (\x1b[" +
	"() (1)(10(11(12(13(14(15(16(Re(de(fr(se(ve)\x1b[)  ) -) .) @) [) {) |), ): " +
	"***, \", ', 0, 1, 2, E, F, S, T, a, c, d, f, i, l, n, p, s, t,du,fi-\x1b[-  " +
	"- -- .- 1- G- R- T- [- i- m--\r--\x1b-- -----:-0.-01-02-03-04-05-06-07-08-09" +
	"-1.-10-11-12-13-14-15-16-17-18-19-2.-20-22-23-24-26-27-3.-30-4.-5.-7.-8." +
	"-9.-:--> -Co-DA-I/-IN-SN-Se-TO-Wn-ae-al-an-ap-be-bu-ce-cl-co-de-di-ex-fi" +
	"-fo-in-ja-la-li-lo-ma-me-mo-no-os-pa-pl-pr-py-re-ru-se-sn-so-st-te-ve-x8" +
	".\x1b[.  . o..\r.. ...../.0 .0-.0..0/.00.01.02.03.04.05.06.09.1 .1-.1..1/.10" +
	".11.12.13.14.15.16.17.18.19.1:.2 .2-.2..2/.20.21.22.23.24.25.26.27.28.29" +
	".3 .3..3/.30.31.32.33.36.38.39.4 .4..4/.40.43.44.45.46.48.49.5 .5..5/.50" +
	".51.52.53.54.58.59.6 .6..6/.60.62.66.68.69.7 .7..7/.70.72.73.74.75.76.78" +
	".79.8 .8..8/.80.83.84.85.86.88.89.9 .9..9/.90.94.95.96.98.99.Ab.Ch.Cl.Co" +
	".De.In.Ja.Me.No.Pa.Pr.Re.Sq.St.Te.a..ac.ad.an.ap.as.b..by.c..ch.cl.co.cp" +
	".de.en.ex.fa.fi.fr.ge.gf.gi.go.gr.hi.ht.im.in.is.j..ja.js.ju.la.li.lo.m2" +
	".ma.mo.or.ow.pa.pe.pl.po.pr.py.re.ru.s..sc.se.so.sp.sq.st.su.ta.te.tr.ut" +
	".vi.wh.xm.xs/.m//g//r/1./10/11/12/13/14/15/16/17/18/19/2./20/21/22/23/25" +
	"/26/27/3./30/31/37/50/60/67/68/69/7./8./9./Ad/Py/Sp/ac/an/ap/as/au/ba/bi" +
	"/bu/ca/ch/cl/co/cr/cs/da/de/di/do/ds/en/ex/fi/fo/fr/ge/gf/gi/go/gr/gu/ha" +
	"/ho/ht/in/ja/jo/ju/la/li/lo/ma/me/mi/mo/ne/nu/ob/op/or/pa/pl/pr/pu/py/re" +
	"/ru/s\r/s /s)/sc/se/sh/si/sl/sn/so/sp/sr/st/su/ta/te/tm/to/tr/us/ut/vi/we" +
	"/wo/x60  0 -0 K0 k0 m0 s0% 0) 0, 0-S0-b0.00.10.20.30.40.50.60.70.80.90.j" +
	"0.p0/10/20/30/600 00%00.00/00000100200300400700:00m01 01-01.010011012014" +
	"01601701801901:01T02 02-02.02002102202302402502902:03 03-03.03:03T04 04-" +
	"04.04:04T05 05-05.05:05T06-06.06206606:06T07 07-07607:07T08-08.08:08T09 " +
	"09)09-09.09:09T0: 0:00:10:20:30:40:50;10Kt0T00T10T20Z 0Z]0] 0m\r0m\x1b0m 0x0" +
	"0x71  1 -1 K1 [1 k1 s1% 1) 1):1, 1-11-21-31.01.11.21.31.41.51.61.71.81.9" +
	"1.j1.m1.p1/11/21/610 10.10/10010110210310410510610710810910:10T11 11-11." +
	"11/11011111211311411511611711811911:11T12 12-12.12/120121122123125126127" +
	"12812912:12T13 13.13/13013113213313413513613713813913:13T14 14)14.14/140" +
	"14114214314414514614714814914:14T15 15.15015115415515615915:15T16 16.16/" +
	"16016216416516:16T17 17.17017217317417817:17T18 18.18018218318418618:18T" +
	"19 19)19.19/19119219319619719819919:19T1:01:11:21:31:41:51;31T11T21Z 1Z]" +
	"1] 1m\x1b1m 1m-1mE1ma2  2 -2 K2 k2 s2% 2) 2, 2-02-12.02.12.22.32.42.52.62.7" +
	"2.82.92.j2.o2.p2.v2/12/22/32/c2/f2/o2/r20 20.20/20020120220420620820:20T" +
	"21 21-21.21021621821921:22 22-22.22022422722922:22T23 23-23.23023223423:" +
	"23T24-24.24/24024424:24T25 25-25.25125225325425525625725:26.26626826:26T" +
	"27 27.27627827:27T28.28/28828:29 29.2:02:12:22:32:42:52T02T12T22Z 2Z]2mP" +
	"3  3 -3 K3 M3 k3% 3) 3, 3-03-13-23-33-n3.03.13.23.33.43.53.63.73.83.93/1" +
	"3/230 30.30030530:30T31 31.31431731931m32.32/32232:32m33 33.33133:34.34:" +
	"34m35 35)35.35035:36.36/36:36m37.37137237637:38.38:39 39.39439:39;39m3:0" +
	"3:13:23:33:43:53T03T13T23Z 3Z]4  4 K4 k4% 4) 4-04-14-34.04.14.24.34.44.5" +
	"4.64.84.94.d4.p4/14/24/340 40.40/40540:41.41241941:42.42042:43.43:44.44/" +
	"44745 45)45.45:46.46146:47 47.47647:48.48/48948:49.49:49;4:04:24:34:44:5" +
	"4T04T14Z 4Z]4j.4m\x1b4mI5  5 K5 k5% 5) 5, 5-05-15-25-35.05.15.25.35.45.55.6" +
	"5.85.95/15/250 50.50050250:51.51551:52.52/52652:53 53.53:54)54.54554755." +
	"55/55:56.56/56:57.58 58.58658:59 59.59959:5:05:15:25:35:45:55T15T25Z 5Z]" +
	"6  6 K6 k6% 6) 6-06-16-26.06.16.26.36.46.56.66.76.86.96/16/26/36/s60/601" +
	"60661)64 64-64.64/6456656756766806846926:06:16:26:36:46:56T06T16T26Z 6Z]" +
	"6_66m 7  7 K7% 7) 7, 7-17.07.17.27.37.47.57.67.77.87/17/27/s71172 735739" +
	"75775876)7647887:07:17:27:37:47:57T17T27Z 7Z]8  8 K8 M8 k8% 8) 8-18.08.1" +
	"8.28.38.48.58.68.78.88.98/18/28/380080782083)84084985 86_88/8888:08:18:2" +
	"8:38:48:58T08T18T28Z 8Z]9  9 K9 M9% 9) 9.09.19.29.39.49.59.69.79.89.99/1" +
	"9/292/93594594897)9729779:09:19:29:39:49:59;09;49T09T19Z 9Z]: \x1b:  : \": '" +
	": -: /: 0: 1: 2: 3: 4: 5: 6: 8: A: C: I: M: N: R: S: T: [: c: f: h: i: p" +
	": r: s: t: w: {:--://:/b:00:01:02:03:04:05:06:07:08:09:1.:10:11:12:13:14" +
	":15:16:17:18:19:2.:20:21:22:23:24:25:26:27:28:29:3.:30:31:32:33:34:35:36" +
	":37:38:39:40:41:42:43:44:45:46:47:48:49:50:51:52:53:54:55:56:57:58:59::T" +
	"::t:co:en:in:ja:pr:re:sp:st:te;00;1m;32;34;49= 0=0.=1.=10=14=2.== ====re" +
	"> T> b> g> tABLAILAPIAPSARNASSATEAVAAVEAbsAccActAdaAddAdoAnaAppArrAssAst" +
	"AutB\rPB  B 1B 2B aB |B/sBLEBUGBasBeaBooBuiCCECESCKOCacCalCasChaCheChiCla" +
	"CliCloCodColComConCorCouCreCtSD\x1b[DATDEBDatDefDelDepDesDisDowEBUECKED\x1bED " +
	"EFTERRESSESTEngEntErrExaExcExeExpExtFAIFO\x1bFO FO:FO]FTEFacFaiFieFilFinFor" +
	"FouG oG: GECG] GenGitGraHOTHanINFINGIONIPPImpInsIntInvJAVJUnJavK\rrK  KB " +
	"KB/KIPKO(KtrLEALinLisLoaLocMB\rMB MB/MaiManMapMavMetMiBModMutNAPNFONG:NG]" +
	"NINNamNatNo NodNotO\x1b[O  O -O-DO: ONSOPTOR]OT/O] ObjOpeP-TPASPEDPPEPSHPTI" +
	"PacParPatPerPooPreProPytREFRNIRORRROR] ReaRecRefRemRepReqResRunS: SEDSHO" +
	"SKISNASS SSEST ST-STASTESUCScaScrSerSetSkiSouSpoSquStaStrSuiSynT TT02T03" +
	"T05T06T08T09T10T12T13T14T15T16T17T18T19T20T21T22T23TESTF8TIOTO-TasTesThe" +
	"ThrTimTotTraTypUCCUG UP-UTFUniUseUsiUtiVA_VENValVerVisWARWitWnoWorWriZ \t" +
	"Z  Z #Z /Z >Z CZ RZ [Z cZ rZ tZ] [\x1b[[  [0;[0K[0m[1;[1m[31[32[34[36[39[ER" +
	"[IN[K\r[K [WA[co[en[gr[m [m)[m][ma[se[sh[ta]\x1b[] \r] \x1b]  ] -] /] 0] 1] 2] B" +
	"] C] D] F] I] R] S] T] U] W] [] c] d] o]/u]: ^^^_ __64_OP_TO_Te____co_ex" +
	"_fi_fo_in_li_ma_pa_pr_re_se_te_ti_wia 0a fa-1a-2a-fa.aa.ca.fa.ga.la.sa.u" +
	"a.xa/ga/oa/sa/ta:1a:2a:3a:4a:5a:6a:7a:[aaaabaabeablaccaceachackacoacsact" +
	"ad ad-ad_adaadcaddadeadiadladoadyaemafeaftageailainaitakeal al-al.al/al:" +
	"aldalealialkallaloalralsalualyambamdameamiamlammampamuan anaancandangani" +
	"annansantanyapaapeaphapiappapsaptapyar\rar ar-ar.ar:araarcardareargariark" +
	"arnarrarsartaryas as:aseashaskassastat\x1bat ataatcateatfathatiatoatsattatu" +
	"atyaulaunausautavaaveaviawsayob.cb.lb/pbacbasbdibe be-be.beebelberbetbin" +
	"bjeblebliboobrabribstbudbufbugbuibunbutby bytc -c)\rc/cc/mc/tcaccalcancar" +
	"cascatccece ce-ce.ce/ceicencepcercescetch ch.chachechicidcifcipck ck.ckT" +
	"ckackeckickocksclaclecliclucoccodcolcomconcopcorcovcracrecrics-cs.cs/css" +
	"ct ct-ct.ct/ctactectictoctscumcurcutd -d ad bd cd dd fd hd id md nd od p" +
	"d rd sd td ud wd, d-td.jd/Ad/bd/ld/sd/td64d: dAcdCldCodInd]/da-da/dapdat" +
	"dbcdcoddeddiddyde de.de/de4deTdeadebdecdeddefdehdeldendepderdesdetdevdex" +
	"dgediadifdindirdisditdledobdocdomdondowds/dsodspdtoduldurdy dy.e  e 'e (" +
	"e -e .e /e 1e Ce [e ae be ce de ee fe ie le me ne oe pe re se te ue we\":" +
	"e':e) e, e-1e-7e-8e-9e-Ce-ae-be-ce-pe. e.Ce.Pe.ae.ce.ee.ie.je.me.oe.pe.r" +
	"e.se.te/1e/7e/8e/9e/ae/ce/de/ie/je/me/pe/re/se/te4je: e:/e:ee:se=reBueCo" +
	"eEneExeFieIneMeeReeTeeadeameaneareaseatebuec ec)ecaeceecieckeclecoectecu" +
	"ed\red ed,ed-ed.ed/ed:ed_ediedteduee eedeeleenefaefeefieflefoefseftegaege" +
	"eggegiegrehaeivel el.el=elaeldeleelfeliellelpelseltem-emaemeemoempemsen " +
	"en-en.en/en2enaencendeneenfengenkensentenveouepaepeeplepoepreptequer er$" +
	"er-er.er/er:erCerIerTer_eraercereerferierkermernerrerserterveryes es-es." +
	"es/es:esceseesoespessestesuet et-et.et/etaetceteethetietretsettetuevaeve" +
	"eview ewoewsex/exaexcexdexeexiexlexmexpextexuf\t2f tf-dfacfaifalfasfaufer" +
	"fetff\tffefffficfiefigfilfinfirfixfleflofolfonforfoufr.fr/frafrofs/fteful" +
	"fung 'g -g /g 1g ag bg cg dg eg fg ig mg ng og pg rg sg tg ug, g-Sg-sg.S" +
	"g.ag.gg.jg.sg.tg/ag/cg/jg/mg/ng/sg3.g: gamgatge ge.ge/gecgemgengergesget" +
	"gfoghtgingitglegmegnogoogragregroguagumgurh -h=1hanhapharhashauhavhe he." +
	"he/heahechedheehelhemherheshichiehilhinhishivhl hodhomhonhoshothouhrehro" +
	"htehtmhtthubhudi.pi/eiB iB/ia.ia/iabiacialianib.ib/ibaibcibeibuic ic-ic/" +
	"icaiceickicoicsictid idCidaideidgidiiedielienieriesiewif ifaifeiffifiig " +
	"ighigiigniguikaikoil.ilaildileiliillilsiltiluimaimeimiimpin in-in.in/in:" +
	"in]inaincindineinfinginiinjinkinrinsintinuinvio.ionip ipeippiptir/ireiro" +
	"irsirtis is/is2is_iseishisiispissistit it-it.it/it4itciteithitiitoityiva" +
	"iveiviixeizaizej.bj.cjacjarjavjdkjecjenjobjsojuljunk 2k :kB\rkB kB)kB/kag" +
	"karke(kedkerkeykinkipkitkleko/kouks.kspktyl  l (l -l bl tl |l.cl.il.jl.p" +
	"l: l=\"lTelablaclanlaplarlaslatlaulaylcald ld-ld.ld/ld:ldeldildsle le)le," +
	"le-le.le/le:le=leTle_lealecledleglellemlenlerlesletlexlf.li/lialibliclid" +
	"lielinliplislitlivlizll llallellillollyloalocloglonloslowloylrels ls.ls/" +
	"lselt lt-lt.ltalteltilualudlueluglurlvelvily lyslyzm\x1b[m  m (m -m [m cm o" +
	"m sm, m--m-cm.am.gm.sm.tm/gm/sm2/mINmPAmTem] magmaimakmanmapmarmasmatmav" +
	"mbemd6me me\"me.me/me:medmenmeomermesmetmewmf-micmikminmismitml\rml ml.mma" +
	"mmemmomocmodmonmormotmovmozmp/mpampimplmpomprmptmpymulmutn\x1b[n  n (n -n /" +
	"n 1n 2n an cn dn fn in nn on pn rn sn tn, n-an-cn-dn-mn-pn-rn-sn.an.jn.m" +
	"n.on.pn.rn.sn/3n/gn/jn/mn/pn/sn/tn2/n3.n: n:2n:3nTen] nabnagnalnamnapnar" +
	"natncenchncinclnconctncuncynd nd.nd:nd]ndandendindlndondsne ne-ne.necned" +
	"nelnennernesnetnewnexnfinfong ng,ng-ng.ng/ng3ng:ng=ng_ngenginglngsnicnin" +
	"nisnitnjenkinlonlynmennenninnono no-nonnopnornotnownpunrins ns-ns.ns/ns:" +
	"nsansensfnsinspnstnsunt nt-nt.nt/nt:nt=ntRnt_ntantenthntintontrntsntunul" +
	"numnuxnv/nvanvenvinvony.o /o bo co so to.ao.mo.so1.oadoakobeobjoblocaoce" +
	"ockocoocsocuod od.odAodaodeodioduoesof oggoglogroidoinojeojookeol olcold" +
	"oleolloloolsolvom\rom om.om/om_omeomiommompon\x1bon on-on.on/on2on3on:on=onC" +
	"onEonMonSonTon_onaoncondoneonfongonionmonnonsontonvoogookooloonootopeopo" +
	"optopyor or-or.or/or:orCorIoraorcordoreorgoriorkormorsortoryoseosiostot " +
	"ot-ot/ot:otaoteotiotlotootsoulounoupourousoutoveoviow ow2ownowsoy\tp =p.p" +
	"p:/pacparpatpdape pe=pecpedpenperpespi-pi.pi/picpidpilpinpippl.plaplepli" +
	"ploplupo.po1poipolpomponpooporpospotppeppipplppoprepriprops/ps:psepshpt " +
	"pt/pteptiptopubputpy py-py/py2py3py:pyipytquaquequir (r -r ar cr fr ir j" +
	"r mr or pr rr tr ur-pr-sr.Sr.cr.er.gr.ir.jr.pr.rr.sr/br/cr/ir/sr/tr/wr: " +
	"rCorImrTeracradragralramranraprarrasratravrayrc/rcerchrdere re-re.re/re:" +
	"reEre]rearecredreerefregrelremrenrepreqresretrevrg-rg.rg/rgerguriaribric" +
	"ridrierigrinrioripritrivrk.rk/rkerksrktrm.rmarn rn/rnarnirocrogrojrolrom" +
	"ronrooroprorrosrotrourovrowrrarrerrors rs.rs/rs:rsersirstrt rt-rt.rt:rt=" +
	"rt_rtertirtjrtsrturtyrucruerunrutrverviry ry.ry/ry:s\x1b[s  s (s -s Ss as b" +
	"s cs ds es fs hs is ns os ps rs ss ts ws':s) s, s-1s-as-bs-cs-ps..s.cs.g" +
	"s.is.js.ls.ms.ps.ss.ts.xs/.s/1s/as/bs/cs/fs/gs/hs/is/ls/ms/os/ps/rs/ss/t" +
	"s/vs/ws2.s24s: s:/sLosResTes_fs_tsafsagsamscascisclscrse se)se.se/secsed" +
	"selsersessetsfosh=shasheshishoshtsigsinsiosissitsizsk sk.skisklslasltsna" +
	"solsonsorsouspaspesposprsqusr/srcss ss-ss.ss/ssLssRssassessissosspssust\r" +
	"st\x1bst st#st)st-st.st/st:stCstMstNstRstSstTst_stastestistnstostrstsstysub" +
	"suesuisulsunsupsursymsyst\x1b[t (t -t 1t 2t =t >t at bt ct et ft ht it jt m" +
	"t ot pt rt st tt vt wt) t, t-4t-at-ct-dt-pt-rt-tt.Ct.bt.ct.ht.jt.lt.pt.r" +
	"t.tt.vt/at/ct/dt/ft/ht/jt/rt/st/tt: t=1tButCatCltCotDetExtFitIntMetNGtPr" +
	"tRetRutSctSttTatTet_at_ct_dt_ht_mt_pt_rt_st_tta ta-ta.tabtactadtagtaital" +
	"tamtantartastattchte te(te-te.te:teTte_tebtectedtegtemtentertestextfoth " +
	"th.thethithothrthutiatictietiftiltimtintiotittivtj.tlitmltmptngto tomtoo" +
	"toptortp:tpstputratretritrotrutryts ts-ts.ts/ts2ts:tsuttettittptu1tuatup" +
	"turtustwoty tygtyltypualuatuavub.ublubuuctuddudeudsue ueruesuffugiuiduil" +
	"uiruitulaulduleuliullultumbumeumpun un(un.un:uncunduniunnunsuntup up.up]" +
	"upduppuraurcureuriurlurnurrus-us/useusiusrustut ut/ut=utauteuthutiutoutp" +
	"utsutuux-va va-va.va/va:valvapvarvatve ve/vedvelvenvervicvidvievinviovir" +
	"visvocvokw tw2.warwaswebwhewhlwilwinwitwn wnlworwrawriws.wscx-xx00x64x86" +
	"xamxcexdixecxerxisxlixmfxmlxpexpoxslxtextrxusy\tcy  y -y iy sy ty.oy.wy/c" +
	"y2.y3-y: y::yamyeryg.yinyleyntyouypeysiystyteythyzezatzedzerzin| 1| 2| 3" +
	"| T|##|| }, \x80━┈▔\x80━█\xe2\xa2\xe2\x82â\xe2€─━█"

const trigramRanks = "" +
	"\x80vx\xeb\x18y\xae\x02\x81\xf5\xa1\x80\xf5\xf8\xea\xea\xf35\x8dof(\x80\xa1\xf5f\xf4\xe4\xff\x160b" +
	"\xc7.\xca\xf1\xe8\xe3\xe2\xdb\xd7\xd5\xd4\xd43\x19ON\xef\x16GmD\xb9\x96\x9dP1[l\x92\x88\xa8\x81" +
	"\x06\xcai\a<\x8ay=f\xfd\xdfȼ\xaf\xac\x98\x88\x81\x8enN3Y\x84\xfd\xf9\xbf\xaeu\xb0(V" +
	"\xe2\x87\v\xdcϛ\xc4\xf3\xf1մ\x98U\xe5\xdaŶ\x98\x9c\xa1\x95\xab\x81\x90\x8e\xf6۷\x93nbQ" +
	"^[Y\x91lkd&\"?:\x1d\x1c\t\xa3O\x0e\x05\r\x0e\x05!\x06\x148F.\x13\x1d\fR\x16" +
	"\x04!\x98H\xe1\x8d\xe5\xb0\t\x1e/X\x02\x01\r\xfa\x0e\xbd\x85\xde\xcdT\x0f\xd0uV\x7fQM\xf7x\t" +
	"o\xfd5\xf6\x893\x987pa\x1c+\xed\xc3E9\x8a\xca]\x1cl\x8fź\x89\xe3@-\x04\x11\xa1N" +
	"\xbe]\xc2r0ԧ\xe0\a\xaa\x96\x82\x94֣\x90\xe6\f\xddԠ\xd1\xd9\xcdS\xc9\xfaJ\xa0\xf6\xbb\xb0" +
	"ֹ,\xb8Л\xe6\xf3\xf1\\=|\xb1\xac\xf6\x8d\x11+F\xfaҕ\xda\xf2\xa8^ؗ\x1f_ک" +
	"B\xa8K\xa3\xe8l\xb8\xfc\xcbY\x91h\xf9\x8e\xd0U,p\xde!\xac\xfcװI`\xdfv[v\xbe\xc3" +
	"\xcb\u0082\xe7\xec\xbd\U0004c267\xa8\xb0Z\xd2\xc4J\xd4R=5\xf4\xaeJ\xb4\xb6T<\xabl\xac\xffs" +
	"\x01\x1a\xfe\xcc\x06¿hn\xf7\x87zXI,\x0f\b\xa0\x99\\\x12#{\xfb#\x94\x90\x7f]\x8a\x9b\xf9" +
	"B\xb8\xc5MtL\xc9\xc8\xca\xc7\x18YD$g\xae)]o\x1c(+\x11\xdb(\x8eC\xa1\x1b\x85\x10\xc5" +
	"\x87G\x10\xe0\xffz\xa5\xc8\xf0\xec\xdb\xf8\xfc\xdbдܮô\xf2\xc2\xd7뱇\x9aѕ\x8c\x92\xc6" +
	"J\x8a\xa3\xd6\x7f\x19Z\x98My\xc2'4\x19\x1e\xb2&,<_F\x97t\xe4\x9c\x04\x9a\xfaŊ\x1a\x01" +
	":\xa2y\x04Sq\xae{\x05\xa1\x1f\xc1ت\xa6\xcc\x1bu\xab\x16I\xc0J|\x95\x12a\x8c\xd6\xfft\xa3" +
	"\xf2\xf0\x9d\xcbhQ]o9$\f\x7f{\xe2Ĳ\xa5\xb8\x9c|\x8dRIN\x82\x0fX\x01۰\x8bP" +
	"b4<W;)\x1f\x18H\xba\x7f=\x1aB1.\x19\tJϓ\x1e\x19\x01-2C\x0eF\xa5\x813" +
	"\"\x06K\a%\x1f\\\xa4\x8d:\x10G\x1b\x1e\x1f\xac\xa4\x16\x02\x03\x0e\v&\x10G\xe5\x92}E\n\r-" +
	",\f?\xa9_?)\x0e\x18 \x13\x02\b\x1a\\\x7fiB\x16\x13<Ab\x91\x87\x89\x92\x83\xaa\xb9Q\xf6" +
	"\x91\x8aS\x17h\xbe\xf4\x15\xa7\xa2\xc4#4o0B\x99t\x84aȣ\xe9p\x9d\xfdN\xc6ޣ\xb5i" +
	"\xf0\x9e\xf5\x96h\x10\xb7\xe9\x97\xf0\xd8ɽZ\x89ȗ$\xab\xa8U\xd9!\x8e\x8e\x89\xbc8is\xef\xf1" +
	"\xba\xb3\x8dم\x855\x10\x82\x93\x95r/P3S2\x8b\x871g\x93\n6!>k^\x94V%\b" +
	"A\x8dF\u0603D\x18\xa2\xf7lo\x97\xf5\x1dI\x16\x86Qr(\x0f\xa6g]ևӹfI8B" +
	"\xe6\x15\xe4\xd71{l\xd5-\xfaK \x99\xb1^\x16\xb6꙯ff\xbe\xfa\x9b\x80ê`\xb6\x14\x82" +
	"C\x97C\xf8ٖ\x18\xca\xfb(c۩\x04\x13N\xed\x01\xe0Z\xb2gRPɴ\xf6a\xe2\xf0\xe4\xbf" +
	"\xa8\xa0\x99\x9ev\x88}\x1e^\xbe?'\x12\xcb?\x9dt\xf8c,c\x12Z\xe5\x1d@y\x8f\x05\x1f\x0e*" +
	"W[T\x04\x98\xa46\xf0t\a\xa9\xff\xc0\xcc\xf1\x15\xc1d\xe8[\xaeI'\xc3a\x8e\x86,\xf7\"\xc4 " +
	"\xfc\x1aB'ш`\xaf\b\x95\xb0\xb3\x83\xdfw@=\x1c\x9dڐ\n\xf3\xd2d\xb9\xae\x99Yt\xccB" +
	"\x86\xdd0Dǃ&V\x13\x93A\xb2\x0f\xa6s\xbb\xad\xf7\xa6\x93\x96\r\xea\xd6\xc0\xb0\xaa\x8f\x9c\xa6\xea\xc4" +
	"0\x1eb\xbf\x13\vh\xce(\xbf6)@n#31+j\xddrɎ\xb5Es+FHR$*" +
	"/>\b\xc2o]J\xaf\x82:H#Zx$IY%\x9fy\xbd\xac]\x10vJ@\" S\x11R" +
	"\x1f\xe6\xf1X\x1c\x9d\tQ\\7\x1702j\x0f\x13\x1dϵ,\x8c G\x83\x128I\xf0\xd1j\x8bc" +
	"p\v\x12:\xc7\xea7\x9a\a@u*\x1b\xa6\xa5Q\xab#YF\x1b\x18\xc0oT+\xa9\x19\x1b'W\x02" +
	"g\b\x18䏪\xb7\xc8\xe7ԝ\xe3\xb1G\xdd/e\fj\v\x1fp\x89\x0e\xb6\r\x05\xbb\x90T\xff\xf2" +
	"\xe1Եw\x81r\x8f\xa5dK?ËO\xc7`#\x18\xab\xcchh\xaeYL\xc7\xff\x14U4\xd6C" +
	"\x03\x89\x84\x049\t\x05\xf7G\xff\x91/&\x15<\xee\x84v\xb1Q1\f\t\xc4o\u00adg\x15\x03L\xc5" +
	"\x14\xf0q\x020W3\x01\x1e\to\\5\x12\x86DEbzU\x90\x85\x94-\x04\xa7M\xb3\xd3\u05ffx" +
	"\xad\x99y\x13'\xde,9f\a\xbd\xba\x1d\xbb\xa2&ǭ\x8e\xa7|\xcd\xc1\x9c\x82\xa0\x80\x87\x82zX\xab" +
	"9Z]\x01/\x80\xd0'sJ\x1aLeCA\x1d\x7f\xbe\x19O\vm~\x1f\xe2\x14\x16\xa1G\xa5k)" +
	"d~H\x87\x02\n\xb6\x7f\xa9\x16\x1bL\xab\x11\x1c\xbc:\x9a\xc3ߡ{\xd8\xe3\xde2|x?\xb9\xb7\xd4" +
	"\x9e\x12\xcfԊd-H:*Le\t\xc0F/&G %_;RA\x90>+\x85\x9e\x8cQ\x1f" +
	"\x03\x10'$\x86a\x1fn2w\tf\x83\x17\x0fKw\xb2\x11\x99\xb7@2p\xbb\xd3\xdd1P\x92\xd3`" +
	"\xac4\xba\xab\x01\xf8\xc6\xd4R\xae\x91^5\x19Z:\x1cD\xa5\x14S\x13\x1a\a1i\x03b=\v\x01\x1a" +
	"_\aF(!\x1d9`\x18YE\x03\x95\x95pE\x05:\x11I\x18\x11\xd8Һՙ4\xc5\x7f\xdd5" +
	"U\x93o\xbb\x9e\xdd\xf7\x99\x86mX\")\rk:IO\xbb`\x15\r\r\x19\x037U\x80:\xa0\x1c5" +
	"T\x06;3!\x97\x97y\xbc\x9c¼\xc1\xd3\xdc+\xa14a\xb3\xba\xa1(\xaf}\x8aqp\x90\x89eX" +
	"T\xa5\b\f\x87.\vV\bWV!9\x86\xa8\xb6+D\x85\xbc\xb8\xdc/b\x97\xe3@\xbb\xa7\x9d\x8a\xa4" +
	"\xb2\x92\xaag0qjH\xb9>\x05.26\n\a\x17\x13\xa2\x10\bC\xb8\x80\x9a\xce\xcb\x17d)\xde5" +
	"Y\xba\xa6\xb9\xac\x84\xbe\xa4\"QZ\x15{j\x04\x90\x11\x01>1\x16\x03C+\xc1\xb7\xd7\xc0\xadj\x11\x11" +
	"<\xb4\xdc;\x01\xfe\xa8\x9e\n\x8c\xfc\xee\x9aK\x97E6SJ\xf7^1G\"m4^\x80q\xef8\f" +
	"\x15x6}\t~\xf8I\xf1߰\xb3\xb3\xbc\xb8\x89\xae\xb6\x15\xd1ʵ\xc1\xaa\xbc\xb0\xa7\xd0\xd2}\xa0\xa9" +
	"\xbb\xb5\xaa\xaf\xbb\xbd\xd0\xc2_\xb6\xa0\xb6\xaf\xaa׳\xce\xce¥\xba\xb5ю\xb2\xb0\xba\xb2ӕ\xb1\x90" +
	"\x8cm\xa2\xbd\xb8\xa1\x9d\r\xbe\x8e~[\x8f&\x11\x17\xcf\xdc\x18i\x89\xd3\x11\x90\x157u\x12(f\xf4\x1f" +
	"\xc17z` 5k\xb9ִL\x14\x1e\x94\x88R\x8c\x16)\x845M\x942;\xf5\xfd0#ũ\xed" +
	"\"\xd0F\"?\xd0FV~OCh\x9c\x93\x1c\xe1j$?\xb3\xf6\xe5^\xd8\x1b\x17NDЖ\x90\x84" +
	"j<W\xf3рNN&\xbb_\xb6PU\xdf\x01\xac\xca)3-\xd3\xf7a\xfd\x1e>\xd2\x06\xbe`\x94" +
	"$\x96d~\xb9\x99\x8f|\xb8&\xffχT\xdbw\x87\x8b\x12w\xc8~\xac\xfdR[{t\x1ddf\xb7" +
	"&\xf0]\xd5-8RN\xe2\x92KO\xb9\xff_\xa0ˁ>8\x85tӵ\xed,a?\x04\x8fc\xfd" +
	"nA,\xb4UU\xb8\x03%\xc0\x0e :_\xfcG3˻\xbb\x8f\xc2\xefu/\xa5\x8e\xf0\xec6\x9b\xb8" +
	"]\xb8$\x9bT\x8c]\x0fDn\x0e\xc4s\xce\\\x8b\x97\xcc\xc4=-\r\x84Wl\x9a\xc8\xcf]L\xda\xc2" +
	"\xea\x98s5\xcd\xcd\xed\xe2q\xb3FX,\xd5\xfdc\xbd\xe7\x04z\x96D\xc0,\x84\xa2j\x91}\x10\x02\x84" +
	"V\x03\xd6r<=\x0f\x85\xef\x8bO\xb3g\xe3\xdcC\xe7.\xef\xda\x10\x8a\xaf\xeb\xe0\xed<~\x86\x83\x81\x8f" +
	"\xfd\x81\xa9\xa3P\x15\x19\xa6e\xd9؎<\xef7\x17\xa5\xb2Ջ?\x9a\xe1@\x82\xe6%øY\xb0\x12" +
	"\\\x8cp\f\t6\"d\xe0\xa2\x0e\n*ڢ\x1eX_\x92\x16bgA\xb6*i\x96!\xb4\x11\xbd2" +
	"\x14Bp[\x0e\xc3\n\x05`\xd7K\v\x05πfhM[\x1c\x80W\x9am\xe5{\xef\xfc\xec\x1c\xc6\xef" +
	"\xb1\f\x13\xb3\x89\x98\xf1\xee\xc6\xccmoE\x0e\xf7\xe9\xf4\x06U\xceL\xc1\x05\xd2\x14w\xda3\xee'P\xb0" +
	"\xc5\xca\tN\xedm.X\xd8\x02\xa1ǰ\xea\xf1\x1dٱ\xa6\xa5\xf9_%\xd6\xcb\xf2\xb406\x9f!\xc8" +
	"\xa9֯s\xe9\xde\xd4a\xdaS\xd1\xe5t\xcb\xe0\xe9\xa3\xf9\xfb\xddf\xf9\xe9\xaf\xf8\x9f\xcf\xfc\xcc\x1ekw" +
	"\x15\xd6i\xac\xb4\xfe\xfe\xe9f4\x92\x9bvy\xc6)\xbcg\xa1hl\xb7\xe3\xce\xfd\xeaѕT\x0f\x9fm" +
	"*H\xfc̍{\xa6]6K\x9b\x7f\xd1\xe1\xc8\x1bE\xe7\xca\xd9<v\xe2\xec\xe2Т\xf8\f\x9fh\xcd" +
	"\xfe΅@\x1f\x7f\x16\x1eг\x95̝\xf3\x98ѨQ\xea\x9b\xfe\xf9\xa0\xf8\x1er\xc1ȇ\x9d^a" +
	"\x9b\a\xcf?^\xbf\xf4\xe3\xfc0\xc9\xe7^\x94\xb4|Y߃\x9c\n#$mFu\x9f>i\x82\x84J" +
	"+ .9aU\xf3s\x90\x05\x128.0\xa3\xef\nu`\x03s\x86\xa7Ws\ty/\x9a\xe4\xd1[" +
	"\xee\xa6\xdd\xf5\x80\xa2\x87\xa1Nc\xb6\xf8\xd0\xd9s\xe4ȭ}O\x9e\xed\x90@\x02\xb1Se\x18q$\x99" +
	"\xbfx=\x19\x1a*\xa6L\xc0X\xdb\xc0\xb5@\\\x14\x8a\x84\xb2\xb3\xbf#R}(\x83\xb1\x17*\x89(%" +
	"\x95$\r\xb2D\x0e!\xc1\xc8v\xb9\x9ar\xe8q\x12\xc5i\r)\x8d>~\xad\x06\x17O\xbdl\x8d\xe2\xe7" +
	"q\xfb\x1e+?\x0f\x1fq2[\x1f\x18@H\xc6\xf6j\xba\xb5\xab\xbe\x83XU\xb5\xed{\xeeT\xb7\xff\xee" +
	"\x97\xfcd\x86\xa43\xf2 \x9b\x04\x06\x1a,\x1c\x80\xd4}\xbf\xc7lW%zW\v\x035j\xeb \x9aH" +
	"\xd2~\xd9p\x14]PN\xe1j\x0e\xd4\xfc|0\xbf\xea\xf0\x9c\xe8n\xe1\xe3\xdb\x13\x7f/\xc0\xfe\xbb\x9bt" +
	"u\xc7\xfb\xa4\xd3\xd6\xf1G\xd5\xfa\xeb\xa7\\}\xa4p\xebb\xc0\x90\xd5I*\xd1\xc0\xf5\xee\xe4\x02\xefL\xdc" +
	"\xf2݈\v\xf4\x83\xfe\xff\x89\x8aY\x96\xcd\xf8\x82\xca\xe6\x8bf'\xa4\xc3\x05\xa3b\x91xR7\xb2O4" +
	"\xc9x;7\xa2\xdf\xd1PK7\xa4{O-\xd3\xc5^P\x95A\x8e\xaa\xcd\xf1ɪ)\xcbe~z\xfc" +
	"\xafnק\xf2^l\x199*\x9dZ\x1a\x9eT\xc9\xec\b\xe2K\x13Y\xfd\x9c\x83b\xc6#Z%\x93k" +
	"\xe0<\xc4\xceu\xc1|2\xe9\x96E*\xc7;L\x9e\xab\xd8M\xc3ǧ\xd0\xe4\xdeN\xf5\xee\xd0\r\x1c\xb1" +
	"\xd7\xfa\xaes>o\x913\xcd_\xc0\xa7[\n\xe9\xf4\xd2r\xea\xaaCx\x12\xc3Sc\x02}\xaa\x96$7" +
	"\xe3\xe3\xe2\x9e\xe0oȍ\x04\xc8\xfaɐ\x19\x10=4\xa3\xd96I\xc9\x1fD\xc4\x01\x194:\x97$h" +
	"\xda\xdcb%AVk\x88f\xc48\x93rt\xbb\x81\xdcgGe\x18\xb4\xc3vj\x7f\xa5v7\x17\x8bJ" +
	"\xfd\xfa\x9e\xc1˄\xd2Z\xf9B\xd7\xf5ul\u07bd׆\xa9\xdc\xeb\xbf\xff\xdawb\xe4\xe7\xf1\xbe\xa2S" +
	"\xffS\x04\xdb\xcb=\xe4' \x05\xdf\xd5k\xba\x1a\x93\xa0hs\xec\xe4\x8d\xc2zZD\xef\xf0\xd9\xf6\xa6," +
	"\xe9\xec*nˇ<F\xe9\xfe\x1d\xfe9cnW\xd9\xef\xc0\xb8\xe50\x9f\xd07D\xa6\xdb-\xc5\xdem" +
	"7n\xb7h\xe08\x16y\x97@\x06\x1adJ\xa6\f\xdc=\\\xa5Y\xe6\xd6e\xfa\xd98|\x06ɣz" +
	"\xe7 \x9b\x82\xec\xee!D\x81ⷁ\fRO\xdf\xed\xbek\n\x98k\xcd辬#O\x80\xef݄" +
	"\xb7\xf4\x1dw\x94J\xa0\xcdQ\xe9\x85a_\xf9\xc4\xc0W\a\x9e\xb0U>\x8f\xa9\x7fP\x8dx\xe1s\x9d\r" +
	"\x97\xbc\xe9\xd2fޭ\v\xbcӚ\xaf%\x11ؘX\x05\a\x95\xaf\x86!.kwk\xd38\x0f\xdaK" +
	"\xee\x13ݼw\x1b\xdf\xfdpM\xe3 \x03\xe8\xcfF\ue44f\x9e\xe3w2\x0f\x16\xb8\x0fp_\x8dz\xd9" +
	"&\xf0v\xdc\xf7+\xf9\x99v;e\xe1\xf6\xca\xed\x1b\xa4\bc|HX\x7f-\b*\x9c\x9faX\x85#" +
	"\xb7\r\x10\x8b\x9d\x1e\x11\xf0\x03\x92\xa8Ad\xe6= @e\xb1y4=\x86{)\xe0V\xe8\x91\xe3P8" +
	"T\xd6Bo\xec\xcd\xdf\xdb{ͻ:\x8e\xbdt\x06\x0f\xe1H\x8bB\x92\xe0~\xb9P@̒\xa7\x82c" +
	"u\x90\xf6A\xb5\x93\xa9\xd1\xd0\xff^\xba\xe8\xa0[\xccQS\xae\xa8wM'\xf2\x96\xf7\x91q\xf4\x0e1\xf1" +
	"ެ\x1a\x85\xad$\x1e\xec\x02\x1d䘹\xe4\xcdE*\x8a1\xb5\x14\xe0h刭\xd2yqc\t\xa7" +
	"\xf7\x12\xe75\xe6߮iºG\";Hčm&r\x13?[\xe4\x9e%\xfb.\xcc\xfd>\xd2\xd7" +
	"\u008f!:`Laj\xf5\xad\xad\x06\xcc0\xb2\xf9)\x94\xbd\b\xbc \"{=\xdc\x1a\x96\xe6K\xf5\xe5" +
	"\xe2*\xe8\n\xf7\xfbt\xf4\xf4\xf0\xec5\x9f\xbek:M\x1c/XP\xe0>\xae\xe7\xdcZ\xd6\x17\x81\xfb\xf2" +
	"g\xb2~\xdd\xfb\xc0\xd7K\xc1\xb0\xf3\xad\xe0\xad{gx\x92_M\xfb\xff\xda\xf8\xe5\xe1\xeb\xef.\xed\xc4\xe2" +
	"6}\x8a\xc6\xfa\\\x1c`\xb6w\xee\xad\xf2@\xecë\a\xc7\xf6Rx\x19\x1b\xb7\xfe\xf1\xceu\x8c^\xaf" +
	"\xd8\xc9\xe6\x06#yM2Y\xe0\xa3P\xd5\xc6\xec\x9d\xc3\xe8\xe6\x19\x81p\xea\xb0\xfb\xea\xee\x85\u074bg\x93" +
	"\xf6\xc5\xf31\xf3\xd4\xdfE\xa0\xa7ڙ\xbc\x92\xbd6\xb3;\x95Ά\xdeV\xca\xd5n\xc7.\vI\x136" +
	"\x04\x8b\x14\x02\x94\"V\x06\xa8i}\x10\x9f\xe7_d\x84etՌ\x96\xafĀ\xac\xb1\xdf\xc9;\xe7\xd9" +
	"Ϟ\x83\x8a\xf2\xe8\xb1\xd8\xf4\xbf\x17\xc6\xe1\xc6\xe5C>T\xf3\xe9ғ\xecg\x7f\xfb\xe9\xfb\xa8\xfe\xb6J" +
	"\x94\xf9\xfa\xf2\b\xf0]\x9c\x85ǌ\xe8\x80\xcb\xc1iQ\x91\xd4\xe19l\xb3w`\xce\xc1\xd8\xf9\xbe}\xf3" +
	"\x83T\x9a\xe9\x10c\xbf\xab\x97\x9f\x9cꓫ/\xcd\xce\xeb1\xba\x05\x94v36\xa9\xddQ\"\x82P;" +
	"{\xf4i\x9bʼ\xb6\x98\f\bn\xfa\xdb\x06\xa8`n9\xbf\xa9\x1a\x88Ƥ>σ\xbc<\x02;\x8c" +
	"\x04k\x15\xa4N8\xb1C\\͑T\xa5BBM\x85!\x8e\xd2\u061cSBLz\x99\x88\xa2x\xd5\xe6" +
	"\x10\xe3El\xfe\xf3\xa4z\xa21\x9c'n1}\x92[\xbd\xde5qu\xdd\xe6\x96\xf5\xd9\xd3\v(\xad\x8a" +
	"'\xe5\x02\x88\xf6\xf2u\xf3c\xf5,z\x1b\ad\xda\xe8\xeb\xc3\xed\xee\xa2\xfbSD\x9a\xdb\xfcGE\x1b\xa0" +
	"\x88m\xeb\xf3\xac\x14x\xb5c\xe5H)\xd7\xe7\xdeQ\xb3r&i\\L\xf5\xf8\xe6\x9fU\xc6\xf0\xf8Ie" +
	"e\x88\xbf`\x91\x9f%\x01\xb5e\xc6c\v\x17r\xa4V\xdb9Χ\xa5k\t\xe0(\x81\x93\x94G\x86/" +
	";\x1d4\x98\x95\x1dE\r\x1d+\x82=\xac%\xb5rW\f>\x83?e?\x84\xb7r\xc7գ4a9" +
	"p\b<-#O\x01\x17\x88iA%\x10|9|\x15\x14OH\x86\x82\x14\xce\xe4x\xbaz\x9fޚ\xe1" +
	"q\xb4\xef\xfa\xed\xd4Δ\xb2\xaa\xf7)\n7\xa4\xf3\x89\xd3\xec\xfb\xff\xe0\x9f\xd2B\xeb\x8c\xf6\x8fȉ\xbd" +
	"p\xb9\xe1\xea\xfb\xfe\x1b\xc52N\xc9Ag\xed\x81\xcbA\xfe\xb7\xf4$\xfc\xa0\xe3\x98\xcf\\\xe50\xb4\xf5C" +
	"\xfc&\x88y\xfa+\"|\xdaF\a;8V߇\x0f\\\xa0ʡAt\x8f\x92V'\xc18\xe8\xb8\xfd" +
	"z\xb1\x18v\xcfb\xb2\xeb[\xa8\xa6Eu|\xcc\xcc\xe1\xe5\xf2-\xed\x8d6o \x9f\xab\xf1\xf2L\x94\xaa" +
	"ds\xca\xdc.\x9b\x8f\xc69m\xae\xd87\xe6\xd5!\x9c.\x99\x91M\xe7\xcb\xf8\xcf\x15VC\x9d~\x8cq" +
	"\xfe\xf7ӣ`\xf8\nv\xeeK\xa8\x15\xc5\xca-\x9bW\x88H3\xd7\x12\xf4\xf6\aSCZ~(m\xa1" +
	"¹4\xe7;2A3\xc9&\"b\xafJ\xd1\x17\x03rZ\fl\x8b|W+}m\xbe-\x03'\x9e" +
	"U(y\xe8\vj\xc5\xe2\xa90~\xb4\n\x8b2#q\xabK\x1bM\xf9\xebM\xf9\xeb/./R\xf9\xeb"

// trigramCommonness returns how common the trigram t is in logs: 0 for a
// trigram that is not among the 4096 most common, up to 255. Compiling the
// packs asks it tens of thousands of times: it searches numbers, not strings.
func trigramCommonness(t string) int {
	keys := trigramKeys()
	k := trigramKey(t)
	i, ok := slices.BinarySearch(keys, k)
	if !ok {
		return 0
	}
	return int(trigramRanks[i])
}

// trigramKey is the three bytes of t as a big-endian number: the order of
// the numbers is that of the strings.
func trigramKey(t string) uint32 { return uint32(t[0])<<16 | uint32(t[1])<<8 | uint32(t[2]) }

// trigramKeys returns the keys of commonTrigrams, in their (sorted) order.
var trigramKeys = sync.OnceValue(func() []uint32 {
	keys := make([]uint32, len(commonTrigrams)/3)
	for i := range keys {
		keys[i] = trigramKey(commonTrigrams[3*i : 3*i+3])
	}
	return keys
})
