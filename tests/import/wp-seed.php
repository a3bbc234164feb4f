<?php
// Installs WordPress and makes a department's content through WordPress's own functions,
// then writes what WordPress's exporter (Tools → Export, "All content") writes.
// Run by scripts/wordpress-fixture.sh: HTTP_HOST names the site's config; argv[1] the file.
// What is made here is what tests/import/wordpress.rs expects to find in cong.

if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}
$out = $argv[1];
$_SERVER['HTTP_HOST']   = getenv( 'HTTP_HOST' );
$_SERVER['SERVER_NAME'] = getenv( 'HTTP_HOST' );
$_SERVER['REQUEST_URI'] = '/';
define( 'WP_INSTALLING', true );
require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/media.php';
require_once ABSPATH . 'wp-admin/includes/image.php';
require_once ABSPATH . 'wp-admin/includes/export.php';

wp_install( 'Sở Khoa học và Công nghệ', 'quantri', 'quantri@example.invalid', true, '', wp_generate_password( 24 ) );
update_option( 'permalink_structure', '/%year%/%monthnum%/%day%/%postname%/' );
update_option( 'timezone_string', 'Asia/Ho_Chi_Minh' );
update_option( 'blogdescription', 'Cổng thông tin điện tử' );
wp_set_current_user( 1 );

$reporter = wp_insert_user(
	array(
		'user_login'   => 'phongvien',
		'user_pass'    => wp_generate_password( 24 ),
		'user_email'   => 'phongvien@example.invalid',
		'display_name' => 'Nguyễn Thị Hoa',
		'role'         => 'author',
	)
);

function term( $name, $slug, $taxonomy, $parent = 0 ) {
	$t = wp_insert_term( $name, $taxonomy, array( 'slug' => $slug, 'parent' => $parent, 'description' => '' ) );
	if ( is_wp_error( $t ) ) {
		fwrite( STDERR, $t->get_error_message() . "\n" );
		exit( 1 );
	}
	return $t['term_id'];
}
$news     = term( 'Tin tức - Sự kiện', 'tin-tuc-su-kien', 'category' );
$activity = term( 'Hoạt động của Sở', 'hoat-dong-cua-so', 'category', $news );
$science  = term( 'Khoa học & Công nghệ', 'khoa-hoc-cong-nghe', 'category' );
term( 'Chuyển đổi số', 'chuyen-doi-so', 'post_tag' );
term( 'Hội nghị', 'hoi-nghi', 'post_tag' );

// A picture made here (GD), uploaded as an editor would: WordPress keeps it and its sizes.
function picture( $name, $w, $h, $rgb, $caption, $alt, $date ) {
	$im = imagecreatetruecolor( $w, $h );
	imagefill( $im, 0, 0, imagecolorallocate( $im, $rgb[0], $rgb[1], $rgb[2] ) );
	imagefilledrectangle( $im, 10, 10, $w / 2, $h / 2, imagecolorallocate( $im, 255, 255, 255 ) );
	$tmp = wp_tempnam( $name );
	if ( substr( $name, -4 ) === '.png' ) {
		imagepng( $im, $tmp );
	} else {
		imagejpeg( $im, $tmp, 85 );
	}
	$id = media_handle_sideload(
		array( 'name' => $name, 'tmp_name' => $tmp ),
		0,
		null,
		array( 'post_excerpt' => $caption, 'post_date' => $date, 'post_date_gmt' => get_gmt_from_date( $date ) )
	);
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, $id->get_error_message() . "\n" );
		exit( 1 );
	}
	update_post_meta( $id, '_wp_attachment_image_alt', $alt );
	return $id;
}
$hall    = picture( 'hoi-nghi-tong-ket.jpg', 1200, 800, array( 30, 90, 160 ), 'Quang cảnh hội nghị', 'Hội trường hội nghị tổng kết', '2023-05-17 08:00:00' );
$lab     = picture( 'phong-thi-nghiem.jpg', 1024, 768, array( 40, 140, 80 ), 'Phòng thí nghiệm', 'Phòng thí nghiệm của Trung tâm', '2023-05-18 09:00:00' );
$award   = picture( 'trao-giai.png', 800, 600, array( 200, 60, 40 ), 'Trao giải sáng tạo', 'Lễ trao giải', '2023-06-02 10:00:00' );
$booth   = picture( 'gian-trung-bay.jpg', 900, 600, array( 150, 120, 30 ), '', 'Gian trưng bày sản phẩm', '2023-06-02 10:05:00' );
$unused  = picture( 'anh-khong-dung.jpg', 640, 480, array( 90, 90, 90 ), '', '', '2023-06-03 10:00:00' );

function post( $args ) {
	$defaults = array(
		'post_type'   => 'post',
		'post_status' => 'publish',
		'post_author' => 1,
	);
	$id       = wp_insert_post( wp_slash( array_merge( $defaults, $args ) ), true );
	if ( is_wp_error( $id ) ) {
		fwrite( STDERR, $id->get_error_message() . "\n" );
		exit( 1 );
	}
	return $id;
}

$medium = wp_get_attachment_image_src( $hall, 'medium' )[0];
$full   = wp_get_attachment_url( $lab );
$first  = post(
	array(
		'post_title'    => 'Hội nghị tổng kết hoạt động khoa học & công nghệ năm 2022',
		'post_name'     => 'hoi-nghi-tong-ket-2022',
		'post_date'     => '2023-05-17 08:30:00',
		'post_excerpt'  => 'Sở tổ chức hội nghị tổng kết hoạt động KH&CN năm 2022 và triển khai nhiệm vụ năm 2023.',
		'post_content'  => "<!-- wp:paragraph -->\n<p>Sáng ngày 17/5, Sở Khoa học và Công nghệ tổ chức <strong>hội nghị tổng kết</strong>.</p>\n<!-- /wp:paragraph -->\n\n"
			. "[caption id=\"attachment_$hall\" align=\"aligncenter\" width=\"300\"]<img class=\"size-medium wp-image-$hall\" src=\"$medium\" alt=\"Hội trường hội nghị tổng kết\" width=\"300\" height=\"200\" /> Quang cảnh hội nghị[/caption]\n\n"
			. "<p>Đại biểu tham quan <a href=\"$full\"><img class=\"alignnone wp-image-$lab\" src=\"$full\" alt=\"Phòng thí nghiệm\" /></a> phòng thí nghiệm.</p>\n"
			. '<p>Xem thêm <a href="' . home_url( '/?p=999999' ) . "\">bài cũ</a>.</p>",
		'post_category' => array( $activity ),
		'tags_input'    => array( 'Hội nghị' ),
		'post_author'   => $reporter,
	)
);
set_post_thumbnail( $first, $hall );
stick_post( $first );
wp_insert_comment(
	array(
		'comment_post_ID'      => $first,
		'comment_author'       => 'Bạn đọc',
		'comment_author_email' => 'ban-doc@example.invalid',
		'comment_content'      => 'Bài viết hay.',
		'comment_approved'     => 1,
	)
);

$gallery = post(
	array(
		'post_title'    => 'Ngày hội sáng tạo: ảnh',
		'post_name'     => 'ngay-hoi-sang-tao-anh',
		'post_date'     => '2023-06-02 15:00:00',
		'post_content'  => "<p>Một số hình ảnh tại ngày hội.</p>\n\n[gallery ids=\"$award,$booth,$lab\" columns=\"3\"]",
		'post_category' => array( $news ),
		'tags_input'    => array( 'Chuyển đổi số' ),
	)
);
set_post_thumbnail( $gallery, $award );

post(
	array(
		'post_title'    => 'Chuyển đổi số trong quản lý nhà nước về KH&CN',
		'post_name'     => 'chuyen-doi-so-quan-ly',
		'post_date'     => '2023-07-10 09:00:00',
		'post_content'  => "<p>Ứng dụng công nghệ thông tin trong quản lý.</p>\n"
			. "[contact-form-7 id=\"12\" title=\"Liên hệ\"]\n"
			. "<p><iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" width=\"560\" height=\"315\"></iframe></p>\n"
			. "<script>alert('x')</script><p onclick=\"alert(1)\">Hết.</p>",
		'post_category' => array( $science ),
		'tags_input'    => array( 'Chuyển đổi số' ),
	)
);

post(
	array(
		'post_title'    => 'Bản nháp: kế hoạch năm 2024',
		'post_name'     => 'ke-hoach-2024',
		'post_status'   => 'draft',
		'post_content'  => '<p>Chưa xong.</p>',
		'post_category' => array( $news ),
	)
);

post(
	array(
		'post_title'    => 'Hội thảo khoa học sẽ diễn ra',
		'post_name'     => 'hoi-thao-sap-dien-ra',
		'post_status'   => 'future',
		'post_date'     => '2030-01-15 08:00:00',
		'post_content'  => '<p>Thông báo hội thảo.</p>',
		'post_category' => array( $science ),
	)
);

$about = post(
	array(
		'post_type'    => 'page',
		'post_title'   => 'Giới thiệu',
		'post_name'    => 'gioi-thieu',
		'post_content' => '<p>Sở Khoa học và Công nghệ là cơ quan chuyên môn thuộc UBND tỉnh.</p>',
		'menu_order'   => 1,
	)
);
post(
	array(
		'post_type'    => 'page',
		'post_title'   => 'Chức năng, nhiệm vụ',
		'post_name'    => 'chuc-nang-nhiem-vu',
		'post_parent'  => $about,
		'post_content' => '<p>Tham mưu, giúp UBND tỉnh quản lý nhà nước về khoa học và công nghệ.</p>',
		'menu_order'   => 2,
	)
);

// What WordPress itself writes for Tools → Export → All content.
ob_start();
export_wp( array( 'content' => 'all' ) );
file_put_contents( $out, ob_get_clean() );
